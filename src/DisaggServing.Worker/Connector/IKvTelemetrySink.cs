using DisaggServing.Protocol.KvTransfer;

namespace DisaggServing.Worker.Connector;

/// <summary>
/// Where transfer and lease events go (the KV-transfer service's KvTelemetry, or nowhere). Never blocks, never
/// throws. A connector port: the engine and the puller report through it without knowing the control plane.
/// </summary>
public interface IKvTelemetrySink
{
    /// <summary>Reports one KV pull, successful or not.</summary>
    void ReportTransfer(TransferReport report);

    /// <summary>Reports a lease granted, extended, released or expired, with the blocks it held.</summary>
    void ReportLease(string leaseId, LeaseEvent leaseEvent, int blocks);
}
