using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Metrics;
using DisaggServing.Engine.Performance;
using DisaggServing.Engine.Workloads;

namespace DisaggServing.Engine.Planning;

/// <summary>What <see cref="Planner"/> searches for: the cheapest cluster that serves a workload at a rate within an SLO.</summary>
public sealed record PlanRequest
{
    /// <summary>The model served.</summary>
    public required ModelSpec Model { get; init; }

    /// <summary>Node types to search (each carries its GPU).</summary>
    public required IReadOnlyList<InstanceTypeSpec> InstanceTypes { get; init; }

    /// <summary>Request lengths (fixed or ShareGPT-like); arrivals are Poisson at <see cref="Rate"/>.</summary>
    public required WorkloadSpec Workload { get; init; }

    /// <summary>Requests per second the cluster must serve.</summary>
    public required double Rate { get; init; }

    /// <summary>The latency bounds each request should meet.</summary>
    public required SloSpec Slo { get; init; }

    /// <summary>$/hour of each instance type, by id.</summary>
    public required IReadOnlyDictionary<string, double> UsdPerHour { get; init; }

    /// <summary>Most GPUs a candidate may use.</summary>
    public int MaxGpus { get; init; } = 64;

    /// <summary>Weight format.</summary>
    public DType WeightDtype { get; init; } = DType.Bf16;

    /// <summary>KV-cache format; null takes the engine's default (vLLM and SGLang: BF16; TensorRT-LLM: as the weights).</summary>
    public DType? KvCacheDtype { get; init; }

    /// <summary>
    /// The serving engine every candidate runs (vLLM by default, the engine the written topology deploys): its scheduler
    /// defaults (sequences and tokens per step, chunked prefill, admission) and costs.
    /// </summary>
    public EngineProfile Engine { get; init; } = EngineProfiles.Vllm;

    /// <summary>TensorRT-LLM only: every candidate runs TensorRT engines (<see cref="EngineSpec.TensorRtEngine"/>) whatever its release implies; NIM's release implies its own (<see cref="Nim"/>).</summary>
    public bool TensorRtEngine { get; init; }

    /// <summary>The engine release every candidate runs as (<c>--engine-version</c>, <see cref="ReleaseDefaults"/>); null for today's.</summary>
    public EngineRelease? Release { get; init; }

    /// <summary>Every candidate is NIM's TensorRT-LLM (<c>--engine nim</c>, <see cref="EngineSpec.Nim"/>): <see cref="Release"/> is NIM's.</summary>
    public bool Nim { get; init; }

    /// <summary>
    /// Fitted constants (<c>--profile FILE</c>) by GPU id: candidates on that GPU use them, the others the engine's
    /// built-in constants.
    /// </summary>
    public IReadOnlyDictionary<string, PerformanceConstants> Constants { get; init; } = new Dictionary<string, PerformanceConstants>();

    /// <summary>Requests each configuration is simulated with.</summary>
    public int Requests { get; init; } = 1000;

    /// <summary>Seed of arrivals and lengths (the same requests for every configuration).</summary>
    public int Seed { get; init; } = 1;

    /// <summary>
    /// Margin above <see cref="Rate"/> the search sizes for (0.1: 10%), so that the plan holds when simulated with
    /// other requests than the search's one sample, and in service.
    /// </summary>
    public double Headroom { get; init; } = 0.1;

    /// <summary>The rate each configuration is simulated and judged at: <see cref="Rate"/> × (1 + <see cref="Headroom"/>).</summary>
    public double SizedRate => Rate * (1 + Headroom);

    /// <summary>Fraction of requests that must meet the SLO (DistServe's 90%).</summary>
    public double TargetAttainment { get; init; } = 0.9;

    /// <summary>The router's decode-only threshold the written topology carries (RouterSettings' default, 256).</summary>
    public int DecodeOnlyThresholdTokens { get; init; } = 256;

    /// <summary>Configurations simulated at once (one per core).</summary>
    public int Parallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>Speculative decoding every candidate runs (<c>--speculative-method</c> …), or null for one token a step.</summary>
    public SpeculativeDecoding? Speculative { get; init; }

    /// <summary>With an EAGLE drafter: the draft head's Hugging Face id, which the written topology's vLLM loads.</summary>
    public string? SpeculativeDraftModel { get; init; }

    /// <summary>Throws an <see cref="InputException"/> naming the first bad setting.</summary>
    public PlanRequest Validate()
    {
        Speculative?.Validate(Model);
        if (InstanceTypes.Count == 0) throw new InputException("Give at least one GPU (--gpus) or instance type (--instance-types) to plan over.");
        if (Workload.Kind == WorkloadKind.Trace)
            throw new InputException("--workload: plan simulates Poisson arrivals at --rate, which a trace fixes; use fixed:ISL:OSL or sharegpt.");
        if (!(Rate > 0) || double.IsInfinity(Rate)) throw new InputException($"--rate must be a positive number of requests per second; got {Rate}.");
        if (Slo.TtftMs is null && Slo.TpotMs is null) throw new InputException("plan needs an SLO: give --slo-ttft-ms and/or --slo-tpot-ms.");
        if (Headroom is < 0 or > 10 || double.IsNaN(Headroom)) throw new InputException($"--headroom must be in [0, 10] (a fraction of --rate); got {Headroom}.");
        if (MaxGpus < 1) throw new InputException($"--max-gpus must be at least 1; got {MaxGpus}.");
        if (Requests < 1) throw new InputException($"--requests must be at least 1; got {Requests}.");
        if (TargetAttainment is <= 0 or > 1) throw new InputException($"--target-attainment must be in (0, 1]; got {TargetAttainment}.");
        foreach (var gpu in Constants.Keys)
            if (!InstanceTypes.Any(i => string.Equals(i.Gpu.Id, gpu, StringComparison.OrdinalIgnoreCase)))
                throw new InputException($"--profile was fitted on {gpu}, which the plan does not search; add it to --gpus, or leave out --profile.");
        foreach (var instance in InstanceTypes)
        {
            if (!UsdPerHour.TryGetValue(instance.Id, out var price))
                throw new InputException($"No price for instance type {instance.Id}; add it to --prices FILE (\"{instance.Id}\": USD_PER_HOUR).");
            if (!(price > 0)) throw new InputException($"The price of {instance.Id} must be a positive $/hour; got {price}.");
        }
        return this;
    }
}
