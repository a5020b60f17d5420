namespace DisaggServing.KvTransfer.Registry;

/// <summary>An engine's load as of its last heartbeat.</summary>
/// <param name="Waiting">Requests waiting for admission.</param>
/// <param name="Running">Requests in the running batch.</param>
/// <param name="KvUsage">Fraction of KV blocks in use, 0..1.</param>
/// <param name="OpenLeases">Prefill leases the engine holds open.</param>
public readonly record struct EngineLoadReport(int Waiting, int Running, double KvUsage, int OpenLeases)
{
    /// <summary>No load (a freshly registered engine).</summary>
    public static EngineLoadReport Idle => default;
}
