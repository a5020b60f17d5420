namespace DisaggServing.Worker.Tests.Support;

/// <summary>The /admin/state body as tests read it.</summary>
public sealed record WorkerStateView(
    string EngineId,
    string Role,
    string Model,
    string Node,
    int HttpPort,
    int KvPort,
    int BlocksUsed,
    int BlocksTotal,
    int LeasesOpen,
    int Running,
    int Waiting,
    int WaitingForRemoteKv,
    bool FailNextKvTransfer,
    double LinkSlowdown);
