namespace DisaggServing.Engine.Workloads;

/// <summary>One request of a workload: when it arrives and how many tokens it reads and writes.</summary>
/// <param name="ArrivalSeconds">Arrival time in seconds from the start of the run.</param>
/// <param name="InputTokens">Prompt length in tokens (ISL), at least 1.</param>
/// <param name="OutputTokens">Tokens to generate (OSL), at least 1.</param>
/// <param name="SharedPrefix">
/// Which shared prefix the prompt starts with (1, 2, …; prompts with the same one begin with the same tokens), or 0
/// when the prompt shares nothing with others.
/// </param>
/// <param name="SharedPrefixTokens">Length of that shared prefix in tokens (0 without one).</param>
/// <param name="WarmPrefixTokens">
/// Tokens at the start of the prompt already in the engine's prefix cache when the run starts (an earlier run sent the
/// same prompt to the same server), 0 for none.
/// </param>
public readonly record struct WorkloadRequest(double ArrivalSeconds, int InputTokens, int OutputTokens, int SharedPrefix = 0, int SharedPrefixTokens = 0,
    int WarmPrefixTokens = 0);
