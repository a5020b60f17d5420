namespace DisaggServing.KvTransfer.Index;

/// <summary>How many leading blocks of a query an engine holds.</summary>
/// <param name="EngineId">The engine.</param>
/// <param name="MatchedBlocks">Leading blocks of the query it holds (at least 1).</param>
public readonly record struct PrefixMatch(string EngineId, int MatchedBlocks);
