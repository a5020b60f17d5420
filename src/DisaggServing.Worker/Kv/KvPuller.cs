using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using DisaggServing.Engine.Performance;
using DisaggServing.Protocol.KvPeer;
using DisaggServing.Protocol.KvTransfer;
using DisaggServing.Protocol.Vllm;
using DisaggServing.Worker.Admin;
using DisaggServing.Worker.Configuration;
using DisaggServing.Worker.ControlPlane;
using DisaggServing.Worker.Observability;
using Grpc.Core;

namespace DisaggServing.Worker.Kv;

/// <summary>
/// The decode side of a KV transfer (NIXL's READ): streams the leased blocks from the prefill engine's KV side
/// channel, verifies every byte, waits the simulated link time (NVLink on one node, EFA across nodes, from the
/// Engine's <see cref="KvTransferModel"/>), then releases the prefill's lease.
/// </summary>
public sealed class KvPuller(
    WorkerSettings settings,
    PeerChannels channels,
    KvDataChannelClient dataChannel,
    TimeProvider time,
    WorkerMetrics metrics,
    IKvTelemetrySink telemetry,
    FaultState faults,
    ILogger<KvPuller> logger)
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ReleaseTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Pulls the blocks of <paramref name="plan"/>; failures come back as a result, cancellation as an exception.</summary>
    public async Task<KvPullResult> PullAsync(KvPullPlan plan, CancellationToken cancellationToken)
    {
        var start = time.GetTimestamp();
        using var activity = WorkerActivity.Source.StartActivity("kv_pull", ActivityKind.Client, plan.Parent);
        activity?.SetTag("disagg.request_id", plan.ClientRequestId);
        activity?.SetTag("disagg.kv.remote_engine_id", plan.Remote.RemoteEngineId);
        activity?.SetTag("disagg.kv.remote_request_id", plan.Remote.RemoteRequestId);
        activity?.SetTag("disagg.kv.blocks", plan.LocalBlocks - plan.CachedBlocks);
        KvPullResult result;
        var reachable = false;
        try
        {
            (result, reachable) = await PullCoreAsync(plan, start, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            activity?.SetStatus(ActivityStatusCode.Error, "aborted");
            ReleaseInBackground(plan);
            throw;
        }
        catch (RpcException e)
        {
            reachable = e.StatusCode != StatusCode.Unavailable;
            result = KvPullResult.Failed(Describe(e), time.GetElapsedTime(start));
        }
        catch (Exception e) when (e is IOException or HttpRequestException or InvalidOperationException or FormatException or InvalidDataException)
        {
            result = KvPullResult.Failed($"KV pull from {plan.Remote.RemoteHost}:{plan.Remote.RemotePort} failed: {e.Message}", time.GetElapsedTime(start));
        }
        if (!result.Success && reachable)
            ReleaseInBackground(plan);
        Record(plan, result, activity);
        return result;
    }

    private async Task<(KvPullResult, bool Reachable)> PullCoreAsync(KvPullPlan plan, long start, CancellationToken cancellationToken)
    {
        var remote = plan.Remote;
        if (string.IsNullOrEmpty(remote.RemoteHost) || remote.RemotePort is not { } port || string.IsNullOrEmpty(remote.RemoteRequestId)
            || string.IsNullOrEmpty(remote.RemoteEngineId) || remote.RemoteBlockIds is not [{ } blockIds, ..])
            return (KvPullResult.Failed("kv_transfer_params lack remote_host, remote_port, remote_engine_id, remote_request_id or remote_block_ids."), false);
        if (blockIds.Count != plan.LocalBlocks)
            return (KvPullResult.Failed($"remote_block_ids has {blockIds.Count} blocks but the {plan.PromptTokens}-token prompt needs {plan.LocalBlocks}."), false);
        if (faults.TryConsumeFailNextTransfer())
            return (KvPullResult.Failed("Injected fault: fail_next_kv_transfer."), true); // the peer is fine: release its lease

        if (settings.KvDataChannel
            && await PullOverDataChannelAsync(plan, start, remote, blockIds, port, cancellationToken).ConfigureAwait(false) is { } overTcp)
            return overTcp;
        Transport("grpc", plan);

        var channel = channels.Get(remote.RemoteHost, port);
        var client = new KvPeer.KvPeerClient(channel);
        var request = new PullBlocksRequest { RemoteRequestId = remote.RemoteRequestId, RequesterEngineId = settings.EngineId };
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
            return (KvPullResult.Failed($"The prefill engine serves {remoteModel} but this engine serves {settings.ModelId}."), true);
        var realBytesPerBlock = ParseLong(response.GetValue(KvPeerHeaders.BlockBytes)) ?? settings.RealBytesPerBlock;
        var payloadPerBlock = ParseLong(response.GetValue(KvPeerHeaders.PayloadBytes));
        var remoteSlowdown = ParseDouble(response.GetValue(KvPeerHeaders.LinkSlowdown)) ?? 1.0;

        var index = plan.CachedBlocks;
        long payloadBytes = 0;
        await foreach (var chunk in call.ResponseStream.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            if (index >= blockIds.Count || chunk.Index != index || chunk.BlockId != blockIds[index])
                return (KvPullResult.Failed($"Block {chunk.Index} (id {chunk.BlockId}) arrived out of order; expected block {index}."), true);
            // The chunk was checked as it was parsed (ReceivedKvChunk): here its findings meet what this block must be.
            if (payloadPerBlock is { } expectedLength && chunk.Length != expectedLength)
                return (KvPullResult.Failed($"Block {index} has {chunk.Length} bytes; expected {expectedLength}."), true);
            if (chunk.ActualChecksum != chunk.Checksum)
                return (KvPullResult.Failed($"Block {index} failed its checksum."), true);
            if (!chunk.Holds(KvPayload.Seed(remote.RemoteEngineId, remote.RemoteRequestId, index)))
                return (KvPullResult.Failed($"Block {index} does not hold the KV of {remote.RemoteRequestId} on {remote.RemoteEngineId}."), true);
            payloadBytes += chunk.Length;
            index++;
        }
        if (index != blockIds.Count)
            return (KvPullResult.Failed($"The stream ended after {index - plan.CachedBlocks} of {blockIds.Count - plan.CachedBlocks} blocks."), true);
        metrics.PullCopyTime.Observe(Stopwatch.GetElapsedTime(copyStart).TotalSeconds);

        await WaitLinkTimeAsync(SimulatedSeconds(plan, response.GetValue(KvPeerHeaders.Node), remoteSlowdown), remote.RemoteHost, port, remote.RemoteRequestId,
            cancellationToken).ConfigureAwait(false);
        await LeaseCallAsync(client.ReleaseLeaseAsync, remote.RemoteRequestId, cancellationToken).ConfigureAwait(false);
        var pulled = blockIds.Count - plan.CachedBlocks;
        return (new KvPullResult(true, null, pulled, pulled * realBytesPerBlock, payloadBytes, time.GetElapsedTime(start)), true);
    }

    /// <summary>
    /// The pull over the raw-TCP data channel (<see cref="KvDataChannelProtocol"/>): the same checks as over gRPC,
    /// the lease released on the same connection. Null when the peer does not speak it (pull over gRPC instead).
    /// </summary>
    private async Task<(KvPullResult, bool Reachable)?> PullOverDataChannelAsync(
        KvPullPlan plan, long start, KvTransferParams remote, IReadOnlyList<int> blockIds, int port, CancellationToken cancellationToken)
    {
        var host = remote.RemoteHost!;
        var leaseId = remote.RemoteRequestId!;
        var engineId = remote.RemoteEngineId!;
        var request = new KvDataRequest(leaseId, settings.EngineId, settings.ModelId, settings.Node, [.. blockIds.Skip(plan.CachedBlocks)],
            Activity.Current?.Id ?? "").ToFrame();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CallTimeout);
        var token = timeout.Token;
        var copyStart = Stopwatch.GetTimestamp();
        KvDataConnection? connection = null;
        try
        {
            (KvDataFrame Type, byte[] Body) first = (KvDataFrame.Error, []);
            if (dataChannel.TakeIdle(host, port) is { } idle)
            {
                connection = idle;
                try
                {
                    await connection.SendAsync(request, token).ConfigureAwait(false);
                    first = await connection.ReadFrameAsync(token).ConfigureAwait(false);
                }
                catch (Exception e) when (KvDataChannelClient.IsStale(e))
                {
                    // A pooled connection the prefill closed meanwhile: nothing was served on it; try a fresh one.
                    connection.Dispose();
                    connection = null;
                }
            }
            if (connection is null)
            {
                connection = await dataChannel.OpenAsync(host, port, token).ConfigureAwait(false);
                if (connection is null)
                    return null;
                await connection.SendAsync(request, token).ConfigureAwait(false);
                first = await connection.ReadFrameAsync(token).ConfigureAwait(false);
            }
            Transport("tcp", plan);

            if (first.Type == KvDataFrame.Error)
                throw ErrorOf(first.Body);
            if (first.Type != KvDataFrame.Header)
                throw new InvalidDataException($"KV data channel: expected a header, got frame type {(byte)first.Type}.");
            var header = KvDataHeader.Parse(first.Body);
            if (!string.Equals(header.Model, settings.ModelId, StringComparison.OrdinalIgnoreCase))
                return (KvPullResult.Failed($"The prefill engine serves {header.Model} but this engine serves {settings.ModelId}."), true);

            var index = plan.CachedBlocks;
            long payloadBytes = 0;
            while (true)
            {
                await connection.EnsureAsync(1, token).ConfigureAwait(false);
                if ((KvDataFrame)connection.Buffered[0] != KvDataFrame.Block)
                {
                    var (type, body) = await connection.ReadFrameAsync(token).ConfigureAwait(false);
                    if (type == KvDataFrame.Error)
                        throw ErrorOf(body);
                    if (type != KvDataFrame.Done)
                        throw new InvalidDataException($"KV data channel: unexpected frame type {(byte)type}.");
                    break;
                }
                await connection.EnsureAsync(KvDataChannelProtocol.BlockHeaderBytes, token).ConfigureAwait(false);
                var (chunkIndex, chunkBlockId, length) = KvDataChannelReceiver.ReadBlockHeader(connection);
                if (index >= blockIds.Count || chunkIndex != index || chunkBlockId != blockIds[index])
                    return (KvPullResult.Failed($"Block {chunkIndex} (id {chunkBlockId}) arrived out of order; expected block {index}."), true);
                if (length != header.PayloadBytesPerBlock)
                    return (KvPullResult.Failed($"Block {index} has {length} bytes; expected {header.PayloadBytesPerBlock}."), true);
                var check = new KvDataChannelReceiver(KvPayload.Seed(engineId, leaseId, index), length);
                while (!check.Complete)
                {
                    if (connection.Buffered.IsEmpty)
                        await connection.FillAsync(token).ConfigureAwait(false);
                    check.Append(connection);
                }
                await connection.EnsureAsync(KvDataChannelProtocol.BlockTrailerBytes, token).ConfigureAwait(false);
                var checksum = KvDataChannelReceiver.ReadChecksum(connection);
                if (check.Checksum != checksum)
                    return (KvPullResult.Failed($"Block {index} failed its checksum."), true);
                if (!check.Matches)
                    return (KvPullResult.Failed($"Block {index} does not hold the KV of {leaseId} on {engineId}."), true);
                payloadBytes += length;
                index++;
            }
            if (index != blockIds.Count)
                return (KvPullResult.Failed($"The stream ended after {index - plan.CachedBlocks} of {blockIds.Count - plan.CachedBlocks} blocks."), true);
            metrics.PullCopyTime.Observe(Stopwatch.GetElapsedTime(copyStart).TotalSeconds);

            await WaitLinkTimeAsync(SimulatedSeconds(plan, header.Node, header.LinkSlowdown), host, port, leaseId, cancellationToken).ConfigureAwait(false);
            await ReleaseOverDataChannelAsync(connection, leaseId, cancellationToken).ConfigureAwait(false);
            var pulled = blockIds.Count - plan.CachedBlocks;
            return (new KvPullResult(true, null, pulled, pulled * header.RealBytesPerBlock, payloadBytes, time.GetElapsedTime(start)), true);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && timeout.IsCancellationRequested)
        {
            return (KvPullResult.Failed("The KV pull timed out."), true);
        }
        catch (Exception e) when (e is IOException or SocketException or InvalidDataException)
        {
            return (KvPullResult.Failed($"KV pull from {host}:{port} failed: {e.Message}", time.GetElapsedTime(start)), true);
        }
        finally
        {
            // Only a connection whose release went through goes back to the pool; any other is aborted.
            if (connection is not null)
                dataChannel.Return(connection);
        }
    }

    /// <summary>
    /// Waits the modelled link time; the prefill's blocks are being read for all of it, so a long wait first extends
    /// the lease (over gRPC, whichever transport moved the bytes).
    /// </summary>
    private async Task WaitLinkTimeAsync(double seconds, string host, int port, string leaseId, CancellationToken cancellationToken)
    {
        if (seconds <= 0)
            return;
        if (seconds > 1)
            await LeaseCallAsync(new KvPeer.KvPeerClient(channels.Get(host, port)).ExtendLeaseAsync, leaseId, cancellationToken).ConfigureAwait(false);
        await Task.Delay(TimeSpan.FromSeconds(seconds), time, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Ends the lease on the data connection; as with the gRPC call, a failure only loses the early release.</summary>
    private async Task ReleaseOverDataChannelAsync(KvDataConnection connection, string leaseId, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ReleaseTimeout);
        try
        {
            await connection.SendAsync(KvDataChannelProtocol.Frame(KvDataFrame.Release, []), timeout.Token).ConfigureAwait(false);
            var (type, _) = await connection.ReadFrameAsync(timeout.Token).ConfigureAwait(false);
            connection.Reusable = type == KvDataFrame.Released;
        }
        catch (Exception e) when (KvDataChannelClient.IsStale(e) || e is InvalidDataException
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            logger.LogDebug(e, "Releasing lease {Lease} on the KV data channel failed; it will expire", leaseId);
        }
    }

    private static RpcException ErrorOf(byte[] body)
    {
        var reader = new KvDataChannelProtocol.FrameReader(body);
        var code = reader.Byte();
        return new RpcException(new Status((StatusCode)code, reader.String()));
    }

    private void Transport(string transport, KvPullPlan plan)
    {
        metrics.KvPullTransport.WithLabels(transport).Inc();
        Activity.Current?.SetTag("disagg.kv.transport", transport);
        logger.LogDebug("KV pull for {RequestId} from {RemoteEngine} over {Transport}", plan.ClientRequestId ?? plan.RequestId, plan.Remote.RemoteEngineId, transport);
    }

    /// <summary>Simulated link time for the pulled tokens; 0 for an instant engine.</summary>
    private double SimulatedSeconds(KvPullPlan plan, string? remoteNode, double remoteSlowdown)
    {
        if (settings.InstantEngine)
            return 0;
        var link = string.Equals(remoteNode, settings.Node, StringComparison.Ordinal) ? LinkKind.NvLink : LinkKind.Efa;
        var model = new KvTransferModel(settings.Spec, settings.Spec, link);
        var tokens = Math.Max(0, plan.PromptTokens - plan.CachedBlocks * settings.BlockSize);
        return model.TransferSeconds(tokens) * Math.Max(faults.LinkSlowdown, 0) * Math.Max(remoteSlowdown, 0);
    }

    private void Record(KvPullPlan plan, KvPullResult result, Activity? activity)
    {
        metrics.XferTime.Observe(result.Duration.TotalSeconds);
        metrics.KvPulls.WithLabels(result.Success ? "success" : "failed").Inc();
        if (result.Success)
        {
            metrics.BytesTransferred.Inc(result.RealBytes);
            metrics.PayloadBytes.Inc(result.PayloadBytes);
            activity?.SetTag("disagg.kv.bytes", result.RealBytes);
            activity?.SetTag("disagg.kv.payload_bytes", result.PayloadBytes);
        }
        else
        {
            metrics.FailedTransfers.Inc();
            activity?.SetStatus(ActivityStatusCode.Error, result.Error);
            logger.LogWarning("KV pull for {RequestId} from {RemoteEngine} failed: {Error}", plan.ClientRequestId ?? plan.RequestId, plan.Remote.RemoteEngineId, result.Error);
        }
        telemetry.ReportTransfer(new TransferReport
        {
            RequestId = plan.ClientRequestId ?? plan.RequestId,
            SourceEngineId = plan.Remote.RemoteEngineId ?? "",
            TargetEngineId = settings.EngineId,
            Bytes = result.RealBytes,
            DurationSeconds = result.Duration.TotalSeconds,
            Success = result.Success,
            Error = result.Error ?? "",
        });
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

    /// <summary>Best effort: frees the prefill's blocks now rather than at lease expiry.</summary>
    private void ReleaseInBackground(KvPullPlan plan)
    {
        var remote = plan.Remote;
        if (string.IsNullOrEmpty(remote.RemoteHost) || remote.RemotePort is not { } port || string.IsNullOrEmpty(remote.RemoteRequestId))
            return;
        _ = Task.Run(async () =>
        {
            try
            {
                var channel = channels.Get(remote.RemoteHost, port);
        var client = new KvPeer.KvPeerClient(channel);
                await client.ReleaseLeaseAsync(new LeaseRequest { RemoteRequestId = remote.RemoteRequestId, RequesterEngineId = settings.EngineId },
                    deadline: DateTime.UtcNow + ReleaseTimeout).ConfigureAwait(false);
            }
            catch (Exception e) when (e is RpcException or IOException or HttpRequestException or InvalidOperationException)
            {
                logger.LogDebug(e, "Releasing lease {Lease} on {Host}:{Port} failed; it will expire", remote.RemoteRequestId, remote.RemoteHost, port);
            }
        });
    }

    private static string Describe(RpcException e) => e.StatusCode switch
    {
        StatusCode.FailedPrecondition => $"The prefill engine has no open lease: {e.Status.Detail}",
        StatusCode.Unavailable => $"The prefill engine's KV side channel is unreachable: {e.Status.Detail}",
        StatusCode.DeadlineExceeded => "The KV pull timed out.",
        _ => $"KV pull failed ({e.StatusCode}): {e.Status.Detail}",
    };

    private static long? ParseLong(string? value) =>
        long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;

    private static double? ParseDouble(string? value) =>
        double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : null;
}
