using DisaggServing.Protocol.KvTransfer;
using DisaggServing.Worker.Connector;

namespace DisaggServing.Worker.ControlPlane;

/// <summary>Standalone worker: telemetry goes nowhere.</summary>
public sealed class NullKvTelemetrySink : IKvTelemetrySink
{
    public void ReportTransfer(TransferReport report)
    {
    }

    public void ReportLease(string leaseId, LeaseEvent leaseEvent, int blocks)
    {
    }
}
