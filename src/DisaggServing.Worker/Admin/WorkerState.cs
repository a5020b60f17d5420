namespace DisaggServing.Worker.Admin;

/// <summary><c>GET /admin/state</c>: who this engine is and what it holds (tests check blocks and leases drain to 0).</summary>
public sealed record WorkerState(
    string EngineId,
    string Role,
    string Model,
    string Node,
    string Gpu,
    int Tp,
    int Pp,
    int HttpPort,
    int KvPort,
    int BlocksUsed,
    int BlocksTotal,
    double KvCacheUsage,
    int LeasesOpen,
    int Running,
    int Waiting,
    int WaitingForRemoteKv,
    bool FailNextKvTransfer,
    double LinkSlowdown)
{
    /// <summary>The process id (the chaos tests send it SIGTERM).</summary>
    public int Pid { get; } = Environment.ProcessId;

    /// <summary>Requests the API is serving now.</summary>
    public int InFlight { get; init; }

    /// <summary>True while the worker drains (SIGTERM received).</summary>
    public bool Draining { get; init; }
}
