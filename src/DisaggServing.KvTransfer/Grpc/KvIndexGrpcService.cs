using System.Buffers;
using DisaggServing.KvTransfer.Index;
using DisaggServing.KvTransfer.Telemetry;
using Grpc.Core;
using Proto = DisaggServing.Protocol.KvTransfer;

namespace DisaggServing.KvTransfer.Grpc;

/// <summary>The <c>KvIndex</c> gRPC service over <see cref="KvBlockIndex"/>.</summary>
internal sealed class KvIndexGrpcService(KvBlockIndex index, KvTransferMetrics metrics) : Proto.KvIndex.KvIndexBase
{
    [ThreadStatic]
    private static List<PrefixMatch>? t_matches;

    /// <summary>NOT_FOUND for an unregistered engine; resync_required after a sequence break.</summary>
    public override Task<Proto.PublishReply> Publish(Proto.KvEventBatch request, ServerCallContext context)
    {
        if (string.IsNullOrEmpty(request.EngineId))
            throw ProtoMapping.Invalid("engine_id is required.");
        var outcome = index.Publish(request.EngineId, request.Sequence, ProtoMapping.ToEvents(request));
        metrics.BatchPublished(outcome);
        if (outcome == PublishOutcome.UnknownEngine)
            throw ProtoMapping.NotFound($"Engine '{request.EngineId}' is not registered; register before publishing KV events.");
        return Task.FromResult(new Proto.PublishReply { ResyncRequired = outcome == PublishOutcome.ResyncRequired });
    }

    /// <summary>Matches longest first; engines holding not even the first block are left out.</summary>
    public override Task<Proto.PrefixReply> FindLongestPrefix(Proto.PrefixQuery request, ServerCallContext context)
    {
        var count = request.BlockHashes.Count;
        var hashes = ArrayPool<ulong>.Shared.Rent(count);
        var matches = t_matches ??= [];
        try
        {
            request.BlockHashes.CopyTo(hashes, 0);
            index.FindLongestPrefix(hashes.AsSpan(0, count), matches, request.EngineIds);
            var reply = new Proto.PrefixReply();
            foreach (var match in matches)
                reply.Matches.Add(new Proto.EnginePrefix { EngineId = match.EngineId, MatchedBlocks = match.MatchedBlocks });
            reply.EventFedEngines.Add(index.EventFedEngines);
            metrics.PrefixQueried();
            return Task.FromResult(reply);
        }
        finally
        {
            matches.Clear();
            ArrayPool<ulong>.Shared.Return(hashes);
        }
    }
}
