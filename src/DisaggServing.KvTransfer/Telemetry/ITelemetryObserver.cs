namespace DisaggServing.KvTransfer.Telemetry;

/// <summary>Sees every report the <see cref="TelemetryAggregator"/> accepts (metrics exporters hook in here).</summary>
public interface ITelemetryObserver
{
    /// <summary>A transfer was reported.</summary>
    void TransferRecorded(in TransferRecord transfer);

    /// <summary>A lease event was reported.</summary>
    void LeaseRecorded(LeaseEventKind kind, int blocks);
}
