using DisaggServing.Protocol.KvTransfer;

namespace DisaggServing.Worker.ControlPlane;

/// <summary>Where transfer and lease events go (the KV-transfer service's KvTelemetry, or nowhere). Never blocks, never throws.</summary>
public interface IKvTelemetrySink
{
    void ReportTransfer(TransferReport report);

    void ReportLease(string leaseId, LeaseEvent leaseEvent, int blocks);
}
