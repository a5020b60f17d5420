using DisaggServing.KvTransfer.Index;
using DisaggServing.KvTransfer.Registry;
using DisaggServing.KvTransfer.Telemetry;
using Grpc.Core;
using Proto = DisaggServing.Protocol.KvTransfer;

namespace DisaggServing.KvTransfer.Grpc;

/// <summary>The <c>KvTelemetry</c> gRPC service over <see cref="TelemetryAggregator"/>.</summary>
internal sealed class KvTelemetryGrpcService(TelemetryAggregator telemetry, EngineRegistry registry, KvBlockIndex index)
    : Proto.KvTelemetry.KvTelemetryBase
{
    public override Task<Proto.TelemetryAck> ReportTransfer(Proto.TransferReport request, ServerCallContext context)
    {
        try
        {
            telemetry.RecordTransfer(ProtoMapping.ToTransfer(request));
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw ProtoMapping.Invalid(e.Message);
        }

        return Task.FromResult(new Proto.TelemetryAck());
    }

    public override Task<Proto.TelemetryAck> ReportLease(Proto.LeaseReport request, ServerCallContext context)
    {
        try
        {
            telemetry.RecordLease(ProtoMapping.ToLeaseEvent(request.Event), request.Blocks);
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw ProtoMapping.Invalid(e.Message);
        }

        return Task.FromResult(new Proto.TelemetryAck());
    }

    public override Task<Proto.StatsReply> GetStats(Proto.StatsRequest request, ServerCallContext context)
    {
        var snapshot = telemetry.Snapshot();
        return Task.FromResult(new Proto.StatsReply
        {
            Transfers = snapshot.Transfers,
            FailedTransfers = snapshot.FailedTransfers,
            Bytes = snapshot.Bytes,
            TransferSeconds = snapshot.TransferSeconds,
            LeasesGranted = snapshot.LeasesGranted,
            LeasesReleased = snapshot.LeasesReleased,
            LeasesExpired = snapshot.LeasesExpired,
            Engines = registry.List().Count,
            IndexedBlocks = index.IndexedBlocks,
        });
    }
}
