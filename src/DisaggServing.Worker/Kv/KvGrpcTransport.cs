using System.Diagnostics;
using System.Globalization;
using DisaggServing.Protocol.KvPeer;
using DisaggServing.Worker.Configuration;
using DisaggServing.Worker.Observability;
using Grpc.Core;

namespace DisaggServing.Worker.Kv;

/// <summary>
/// The KV pull over gRPC (<see cref="KvPeerService"/>'s PullBlocks stream), which every peer speaks: also the
/// channel for lease calls, whichever transport moved the bytes.
/// </summary>
public sealed class KvGrpcTransport(
    WorkerSettings settings,
    PeerChannels channels,
    WorkerMetrics metrics,
    ILogger<KvGrpcTransport> logger) : IKvTransport
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ReleaseTimeout = TimeSpan.FromSeconds(5);

    /// <inheritdoc />
    public string Name => "grpc";

    /// <inheritdoc />
    public async Task<KvTransportResult?> PullAsync(KvTransportPull pull, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pull);
        pull.Chosen();
        try
        {
            return await PullCoreAsync(pull, cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            return KvPeerStatus.Failed(e, pull.Elapsed());
        }
    }

    private async Task<KvTransportResult> PullCoreAsync(KvTransportPull pull, CancellationToken cancellationToken)
    {
        var plan = pull.Plan;
        var blockIds = pull.BlockIds;
        var channel = channels.Get(pull.Host, pull.Port);
        var client = new KvPeer.KvPeerClient(channel);
        var request = new PullBlocksRequest { RemoteRequestId = pull.LeaseId, RequesterEngineId = settings.EngineId };
        for (var i = plan.CachedBlocks; i < blockIds.Count; i++)
            request.BlockIds.Add(blockIds[i]);
        var headers = new Metadata
        {
            { KvPeerHeaders.EngineId, settings.EngineId },
            { KvPeerHeaders.Node, settings.Node },
            { KvPeerHeaders.Model, settings.ModelId },
        };
        var copyStart = Stopwatch.GetTimestamp();
        using var call = channel.CreateCallInvoker().AsyncServerStreamingCall(
            KvPeerMethods.PullBlocks, null, new CallOptions(headers, DateTime.UtcNow + CallTimeout, cancellationToken), request);
        var response = await call.ResponseHeadersAsync.ConfigureAwait(false);
        var remoteModel = response.GetValue(KvPeerHeaders.Model);
        if (remoteModel is not null && !string.Equals(remoteModel, settings.ModelId, StringComparison.OrdinalIgnoreCase))
            return new(KvPullResult.Failed($"The prefill engine serves {remoteModel} but this engine serves {settings.ModelId}."), true);
        var realBytesPerBlock = ParseLong(response.GetValue(KvPeerHeaders.BlockBytes)) ?? settings.RealBytesPerBlock;
        var payloadPerBlock = ParseLong(response.GetValue(KvPeerHeaders.PayloadBytes));
        var remoteSlowdown = ParseDouble(response.GetValue(KvPeerHeaders.LinkSlowdown)) ?? 1.0;

        var index = plan.CachedBlocks;
        long payloadBytes = 0;
        await foreach (var chunk in call.ResponseStream.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            if (index >= blockIds.Count || chunk.Index != index || chunk.BlockId != blockIds[index])
                return new(KvPullResult.Failed($"Block {chunk.Index} (id {chunk.BlockId}) arrived out of order; expected block {index}."), true);
            // The chunk was checked as it was parsed (ReceivedKvChunk): here its findings meet what this block must be.
            if (payloadPerBlock is { } expectedLength && chunk.Length != expectedLength)
                return new(KvPullResult.Failed($"Block {index} has {chunk.Length} bytes; expected {expectedLength}."), true);
            if (chunk.ActualChecksum != chunk.Checksum)
                return new(KvPullResult.Failed($"Block {index} failed its checksum."), true);
            if (!chunk.Holds(KvPayload.Seed(pull.RemoteEngineId, pull.LeaseId, index)))
                return new(KvPullResult.Failed($"Block {index} does not hold the KV of {pull.LeaseId} on {pull.RemoteEngineId}."), true);
            payloadBytes += chunk.Length;
            index++;
        }
        if (index != blockIds.Count)
            return new(KvPullResult.Failed($"The stream ended after {index - plan.CachedBlocks} of {blockIds.Count - plan.CachedBlocks} blocks."), true);
        metrics.PullCopyTime.Observe(Stopwatch.GetElapsedTime(copyStart).TotalSeconds);

        await pull.WaitLinkTimeAsync(response.GetValue(KvPeerHeaders.Node), remoteSlowdown, cancellationToken).ConfigureAwait(false);
        await LeaseCallAsync(client.ReleaseLeaseAsync, pull.LeaseId, cancellationToken).ConfigureAwait(false);
        var pulled = blockIds.Count - plan.CachedBlocks;
        return new(new KvPullResult(true, null, pulled, pulled * realBytesPerBlock, payloadBytes, pull.Elapsed()), true);
    }

    /// <inheritdoc />
    public Task ExtendLeaseAsync(string host, int port, string leaseId, CancellationToken cancellationToken) =>
        LeaseCallAsync(new KvPeer.KvPeerClient(channels.Get(host, port)).ExtendLeaseAsync, leaseId, cancellationToken);

    /// <inheritdoc />
    public async Task ReleaseLeaseAsync(string host, int port, string leaseId, CancellationToken cancellationToken)
    {
        try
        {
            var client = new KvPeer.KvPeerClient(channels.Get(host, port));
            await client.ReleaseLeaseAsync(new LeaseRequest { RemoteRequestId = leaseId, RequesterEngineId = settings.EngineId },
                deadline: DateTime.UtcNow + ReleaseTimeout, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RpcException or IOException or HttpRequestException or InvalidOperationException)
        {
            logger.LogDebug(e, "Releasing lease {Lease} on {Host}:{Port} failed; it will expire", leaseId, host, port);
        }
    }

    /// <summary>
    /// Extends or releases the lease. The blocks are already here, so a failure (the lease expired meanwhile, the
    /// prefill went away) costs the prefill nothing worse than waiting for expiry: log it, keep the pull.
    /// </summary>
    private async Task LeaseCallAsync(
        Func<LeaseRequest, Metadata?, DateTime?, CancellationToken, AsyncUnaryCall<LeaseReply>> call, string leaseId, CancellationToken cancellationToken)
    {
        try
        {
            await call(new LeaseRequest { RemoteRequestId = leaseId, RequesterEngineId = settings.EngineId }, null,
                DateTime.UtcNow + ReleaseTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogDebug("Lease call for {Lease} failed: {Status}", leaseId, e.Status);
        }
    }

    private static long? ParseLong(string? value) =>
        long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;

    private static double? ParseDouble(string? value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;
}
