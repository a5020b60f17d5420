namespace DisaggServing.KvTransfer.Http;

/// <summary>The body of <c>GET /stats</c>: registry, index and telemetry totals.</summary>
public sealed record StatsView(
    int Engines,
    long IndexedBlocks,
    long DistinctBlocks,
    long Transfers,
    long FailedTransfers,
    long Bytes,
    double TransferSeconds,
    double TransferSecondsMean,
    double TransferSecondsP50,
    double TransferSecondsP99,
    long LeasesGranted,
    long LeasesExtended,
    long LeasesReleased,
    long LeasesExpired,
    long LeasesOpen,
    long LeasedBlocks);
