using DisaggServing.Engine.Performance;
using DisaggServing.Engine.Scheduling;

namespace DisaggServing.Engine.Estimation;

/// <summary>
/// One engine under a fixed-length load: either <see cref="Concurrency"/> requests kept in flight (closed loop, as
/// NVIDIA NIM's benchmark runs) or all <see cref="Requests"/> queued at t=0 (offline, as trtllm-bench runs).
/// </summary>
public sealed record EstimateOptions
{
    /// <summary>The engine.</summary>
    public required EngineSpec Engine { get; init; }

    /// <summary>Prompt tokens per request.</summary>
    public required int InputTokens { get; init; }

    /// <summary>Output tokens per request.</summary>
    public required int OutputTokens { get; init; }

    /// <summary>Requests kept in flight; null means offline.</summary>
    public int? Concurrency { get; init; }

    /// <summary>Requests measured (offline: all of them; closed loop: after one warm-up wave).</summary>
    public int? Requests { get; init; }

    /// <summary>Admission: reserve-full (TensorRT-LLM's default) or on-demand (vLLM, SGLang); the CLI takes the engine's default (<see cref="Performance.EngineProfile.Admission"/>).</summary>
    public AdmissionPolicy Admission { get; init; } = AdmissionPolicy.ReserveFull;
}
