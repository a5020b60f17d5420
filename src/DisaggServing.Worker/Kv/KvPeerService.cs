using System.Globalization;
using DisaggServing.Protocol.KvPeer;
using DisaggServing.Worker.Admin;
using DisaggServing.Worker.Configuration;
using DisaggServing.Worker.Connector;
using DisaggServing.Worker.Observability;
using Grpc.Core;

namespace DisaggServing.Worker.Kv;

/// <summary>
/// The prefill side of a KV transfer: serves the blocks of open leases, in order, with their checksums; ends and
/// extends leases for the puller. Unknown or expired leases are FAILED_PRECONDITION, as NIXL reports a
/// transfer whose source blocks were freed. Bound by <see cref="KvPeerMethodProvider"/>: chunks go out as
/// <see cref="OutgoingKvChunk"/>, their payload written straight into the response.
/// </summary>
public sealed class KvPeerService(
    WorkerSettings settings,
    IKvLeases leases,
    FaultState faults,
    WorkerMetrics metrics,
    ILogger<KvPeerService> logger)
{
    public async Task PullBlocks(PullBlocksRequest request, IServerStreamWriter<OutgoingKvChunk> responseStream, ServerCallContext context)
    {
        var leaseId = request.RemoteRequestId;
        var indices = KvPullCheck.Validate(leases, settings, leaseId, context.RequestHeaders.GetValue(KvPeerHeaders.Model), request.BlockIds, out var refusal)
            ?? throw Refused(refusal);

        await context.WriteResponseHeadersAsync(new Metadata
        {
            { KvPeerHeaders.EngineId, settings.EngineId },
            { KvPeerHeaders.Node, settings.Node },
            { KvPeerHeaders.Model, settings.ModelId },
            { KvPeerHeaders.BlockSize, settings.BlockSize.ToString(CultureInfo.InvariantCulture) },
            { KvPeerHeaders.BlockBytes, settings.RealBytesPerBlock.ToString(CultureInfo.InvariantCulture) },
            { KvPeerHeaders.PayloadBytes, settings.PayloadBytesPerBlock.ToString(CultureInfo.InvariantCulture) },
            { KvPeerHeaders.LinkSlowdown, faults.LinkSlowdown.ToString("R", CultureInfo.InvariantCulture) },
        }).ConfigureAwait(false);

        var corrupt = faults.TryConsumeFailNextTransfer();
        if (corrupt)
            logger.LogWarning("Injected fault: corrupting the KV of lease {Lease} sent to {Requester}", leaseId, request.RequesterEngineId);
        for (var i = 0; i < indices.Length; i++)
        {
            if (!leases.TryGetLease(leaseId, out _))
                throw Refused(KvPullCheck.LeaseEnded(leaseId));
            var pattern = KvPayload.Pattern(settings.EngineId, leaseId, indices[i], settings.PayloadBytesPerBlock);
            await responseStream.WriteAsync(
                new OutgoingKvChunk(request.BlockIds[i], indices[i], pattern, settings.PayloadBytesPerBlock, Corrupt: corrupt && i == 0),
                context.CancellationToken).ConfigureAwait(false);
            metrics.KvBlocksServed.Inc();
        }
    }

    private static RpcException Refused(KvPullCheck.Refusal refusal) => new(new Status(refusal.Code, refusal.Message));

    public Task<LeaseReply> ReleaseLease(LeaseRequest request, ServerCallContext context) =>
        Task.FromResult(new LeaseReply { Found = leases.ReleaseLease(request.RemoteRequestId ?? "") });

    public Task<LeaseReply> ExtendLease(LeaseRequest request, ServerCallContext context)
    {
        var found = leases.ExtendLease(request.RemoteRequestId ?? "", out var expiresIn);
        // The scheduler counts simulated time; the puller waits in wall-clock time (LeaseSeconds are wall seconds).
        return Task.FromResult(new LeaseReply { Found = found, ExpiresInSeconds = expiresIn.TotalSeconds / settings.SpeedFactor });
    }
}
