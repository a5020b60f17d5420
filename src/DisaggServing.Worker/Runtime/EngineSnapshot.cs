namespace DisaggServing.Worker.Runtime;

/// <summary>A consistent view of the engine's load and KV cache, taken under its lock.</summary>
public sealed record EngineSnapshot(
    int Running,
    int Waiting,
    int WaitingForRemoteKv,
    int BlocksUsed,
    int BlocksTotal,
    double KvCacheUsage,
    int LeasesOpen,
    long Preemptions,
    long PrefixCacheQueries,
    long PrefixCacheHits,
    long ExpiredLeases);
