namespace DisaggServing.KvTransfer.Telemetry;

/// <summary>Totals of the transfer and lease reports so far.</summary>
/// <param name="Transfers">Transfers reported, failed ones included.</param>
/// <param name="FailedTransfers">Transfers reported as failed.</param>
/// <param name="Bytes">Bytes moved by successful transfers.</param>
/// <param name="TransferSeconds">Time spent in successful transfers.</param>
/// <param name="Durations">Durations of successful transfers.</param>
/// <param name="LeasesGranted">Leases granted.</param>
/// <param name="LeasesExtended">Lease extensions.</param>
/// <param name="LeasesReleased">Leases released.</param>
/// <param name="LeasesExpired">Leases that expired unpulled.</param>
/// <param name="LeasedBlocks">Blocks in granted leases, in all.</param>
public sealed record TelemetrySnapshot(
    long Transfers,
    long FailedTransfers,
    long Bytes,
    double TransferSeconds,
    HistogramSnapshot Durations,
    long LeasesGranted,
    long LeasesExtended,
    long LeasesReleased,
    long LeasesExpired,
    long LeasedBlocks)
{
    /// <summary>Leases granted and not yet released or expired, as far as the reports tell (never negative).</summary>
    public long OpenLeases => Math.Max(0, LeasesGranted - LeasesReleased - LeasesExpired);
}
