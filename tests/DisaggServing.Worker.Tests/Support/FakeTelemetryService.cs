using DisaggServing.Protocol.KvTransfer;
using Grpc.Core;

namespace DisaggServing.Worker.Tests.Support;

public sealed class FakeTelemetryService(FakeKvTransfer fake) : KvTelemetry.KvTelemetryBase
{
    public override Task<TelemetryAck> ReportTransfer(TransferReport request, ServerCallContext context)
    {
        fake.Transfers.Enqueue(request);
        return Task.FromResult(new TelemetryAck());
    }

    public override Task<TelemetryAck> ReportLease(LeaseReport request, ServerCallContext context)
    {
        fake.Leases.Enqueue(request);
        return Task.FromResult(new TelemetryAck());
    }
}
