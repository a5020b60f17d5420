namespace DisaggServing.Worker.Kv;

/// <summary>How a transport's pull went.</summary>
/// <param name="Result">The pull's result.</param>
/// <param name="Reachable">The peer answered, so a failed pull should release its lease rather than let it expire.</param>
public readonly record struct KvTransportResult(KvPullResult Result, bool Reachable);
