using DisaggServing.KvTransfer.Telemetry;

namespace DisaggServing.KvTransfer.Tests.Telemetry;

/// <summary>Keeps what the aggregator forwards.</summary>
public sealed class RecordingObserver : ITelemetryObserver
{
    public List<TransferRecord> Transfers { get; } = [];

    public List<(LeaseEventKind Kind, int Blocks)> Leases { get; } = [];

    public void TransferRecorded(in TransferRecord transfer) => Transfers.Add(transfer);

    public void LeaseRecorded(LeaseEventKind kind, int blocks) => Leases.Add((kind, blocks));
}
