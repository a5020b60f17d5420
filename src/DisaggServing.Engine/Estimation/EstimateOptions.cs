using DisaggServing.Engine.Performance;
using DisaggServing.Engine.Scheduling;
using DisaggServing.Engine.Workloads;

namespace DisaggServing.Engine.Estimation;

/// <summary>
/// One engine under a load of fixed lengths (<see cref="InputTokens"/>, <see cref="OutputTokens"/>) or lengths drawn
/// from a <see cref="Workload"/>: either <see cref="Concurrency"/> requests kept in flight (closed loop, as
/// NVIDIA NIM's benchmark runs), all <see cref="Requests"/> queued at t=0 (offline, as trtllm-bench runs), or
/// <see cref="Requests"/> sent at <see cref="RequestRate"/> (open loop, as <c>vllm bench serve --request-rate</c>).
/// </summary>
public sealed record EstimateOptions
{
    /// <summary>The engine.</summary>
    public required EngineSpec Engine { get; init; }

    /// <summary>Prompt tokens of every request; 0 when <see cref="Workload"/> gives the lengths.</summary>
    public int InputTokens { get; init; }

    /// <summary>Output tokens of every request; 0 when <see cref="Workload"/> gives the lengths.</summary>
    public int OutputTokens { get; init; }

    /// <summary>
    /// Where each request's lengths come from instead of <see cref="InputTokens"/>/<see cref="OutputTokens"/>, e.g.
    /// <c>uniform:1-1000:1-1000</c> as bench_serving's random dataset; null for fixed lengths. A trace is refused:
    /// the estimate issues requests itself.
    /// </summary>
    public WorkloadSpec? Workload { get; init; }

    /// <summary>Seed of the lengths drawn from <see cref="Workload"/>; the same seed gives the same requests.</summary>
    public int Seed { get; init; }

    /// <summary>Requests kept in flight; null means offline. With <see cref="RequestRate"/>, the cap on requests in flight (vllm bench serve's --max-concurrency), null for none.</summary>
    public int? Concurrency { get; init; }

    /// <summary>Requests sent per second on average (open loop, every request measured); null for closed loop or offline.</summary>
    public double? RequestRate { get; init; }

    /// <summary>Shape of the gamma-distributed gaps between sends at <see cref="RequestRate"/>: 1 is Poisson, below 1 burstier.</summary>
    public double Burstiness { get; init; } = 1;

    /// <summary>
    /// Requests measured (offline: all of them; closed loop: after one warm-up wave, all of them with
    /// <see cref="MeasureWindow.All"/>, and from the load's start with <see cref="MeasureWindow.FromStart"/>, unless
    /// <see cref="MeasurementIntervalMs"/> measures time windows instead).
    /// </summary>
    public int? Requests { get; init; }

    /// <summary>Which requests are measured and how ITL is averaged: steady state (genai-perf) or every request (bench_serving); at a <see cref="RequestRate"/>, always every request.</summary>
    public MeasureWindow Measure { get; init; } = MeasureWindow.Steady;

    /// <summary>
    /// genai-perf's <c>--measurement-interval</c> in ms: with <see cref="MeasureWindow.FromStart"/> and no
    /// <see cref="Requests"/>, the means count perf_analyzer's time windows of 1.2 × it (<see cref="PerfAnalyzerWindows"/>);
    /// null measures requests by count.
    /// </summary>
    public double? MeasurementIntervalMs { get; init; }

    /// <summary>
    /// The first this-many requests' prompts are already in the engine's prefix cache when the run starts: bench_serving
    /// warms up with the first prompt (1), and a seeded run after a smaller one on the same server (SGLang keeps its radix
    /// cache between runs) finds the earlier run's prompts, the same first ones, cached. 0 for a cold cache.
    /// </summary>
    public int WarmPrompts { get; init; }

    /// <summary>The endpoint the requests go to: the chat one adds the engine's chat-template cost to every first token.</summary>
    public ApiEndpoint Endpoint { get; init; } = ApiEndpoint.Completions;

    /// <summary>Admission: reserve-full (TensorRT-LLM's default) or on-demand (vLLM, SGLang); the CLI takes the engine's default (<see cref="Performance.EngineProfile.Admission"/>).</summary>
    public AdmissionPolicy Admission { get; init; } = AdmissionPolicy.ReserveFull;
}
