namespace DisaggServing.Engine.Workloads;

/// <summary>Where a workload's requests come from.</summary>
public enum WorkloadKind
{
    /// <summary>Every request has the same input and output length.</summary>
    Fixed,

    /// <summary>ShareGPT lengths as benchmark clients sample them (<see cref="ShareGptLengths"/>, <see cref="ShareGptRunLengths"/>).</summary>
    ShareGpt,

    /// <summary>Requests replayed from a JSONL trace file (<see cref="TraceReader"/>).</summary>
    Trace,

    /// <summary>Prompts sharing a few prefixes, each with a suffix of its own (<see cref="PrefixRepetition"/>).</summary>
    Prefix,

    /// <summary>Lengths drawn uniformly from ranges, as the benchmarks' random datasets (<see cref="UniformLengths"/>).</summary>
    Uniform,
}
