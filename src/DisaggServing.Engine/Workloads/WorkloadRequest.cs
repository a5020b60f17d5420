namespace DisaggServing.Engine.Workloads;

/// <summary>One request of a workload: when it arrives and how many tokens it reads and writes.</summary>
/// <param name="ArrivalSeconds">Arrival time in seconds from the start of the run.</param>
/// <param name="InputTokens">Prompt length in tokens (ISL), at least 1.</param>
/// <param name="OutputTokens">Tokens to generate (OSL), at least 1.</param>
public readonly record struct WorkloadRequest(double ArrivalSeconds, int InputTokens, int OutputTokens);
