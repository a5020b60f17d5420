using System.Globalization;
using DisaggServing.Protocol.KvPeer;
using DisaggServing.Worker.Admin;
using DisaggServing.Worker.Configuration;
using DisaggServing.Worker.Runtime;
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
    EngineHost engine,
    FaultState faults,
    WorkerMetrics metrics,
    ILogger<KvPeerService> logger)
{
    public async Task PullBlocks(PullBlocksRequest request, IServerStreamWriter<OutgoingKvChunk> responseStream, ServerCallContext context)
    {
        var leaseId = request.RemoteRequestId;
        if (string.IsNullOrEmpty(leaseId) || !engine.TryGetLease(leaseId, out var lease))
            throw new RpcException(new Status(StatusCode.FailedPrecondition, $"No open lease '{leaseId}' on engine {settings.EngineId} (never granted, released or expired)."));
        var requesterModel = context.RequestHeaders.GetValue(KvPeerHeaders.Model);
        if (requesterModel is not null && !string.Equals(requesterModel, settings.ModelId, StringComparison.OrdinalIgnoreCase))
            throw new RpcException(new Status(StatusCode.FailedPrecondition, $"Engine {settings.EngineId} serves {settings.ModelId}, not {requesterModel}: KV cannot move between models."));

        // Requested ids must be blocks of this lease; their position in it is what the payload derives from.
        var indices = new int[request.BlockIds.Count];
        for (var i = 0; i < indices.Length; i++)
        {
            indices[i] = Array.IndexOf(lease.BlockIds, request.BlockIds[i]);
            if (indices[i] < 0)
                throw new RpcException(new Status(StatusCode.InvalidArgument, $"Block {request.BlockIds[i]} is not part of lease '{leaseId}'."));
        }

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
            // A lease that ends mid-pull (expiry) frees the blocks: what follows would be someone else's KV.
            if (!engine.TryGetLease(leaseId, out _))
                throw new RpcException(new Status(StatusCode.FailedPrecondition, $"Lease '{leaseId}' ended during the pull."));
            var pattern = KvPayload.Pattern(settings.EngineId, leaseId, indices[i], settings.PayloadBytesPerBlock);
            await responseStream.WriteAsync(
                new OutgoingKvChunk(request.BlockIds[i], indices[i], pattern, settings.PayloadBytesPerBlock, Corrupt: corrupt && i == 0),
                context.CancellationToken).ConfigureAwait(false);
            metrics.KvBlocksServed.Inc();
        }
    }

    public Task<LeaseReply> ReleaseLease(LeaseRequest request, ServerCallContext context) =>
        Task.FromResult(new LeaseReply { Found = engine.ReleaseLease(request.RemoteRequestId ?? "") });

    public Task<LeaseReply> ExtendLease(LeaseRequest request, ServerCallContext context)
    {
        var found = engine.ExtendLease(request.RemoteRequestId ?? "", out var expiresIn);
        // The scheduler counts simulated time; the puller waits in wall-clock time (LeaseSeconds are wall seconds).
        return Task.FromResult(new LeaseReply { Found = found, ExpiresInSeconds = expiresIn.TotalSeconds / settings.SpeedFactor });
    }
}
