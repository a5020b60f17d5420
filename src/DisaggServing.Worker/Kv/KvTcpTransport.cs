using System.Diagnostics;
using System.Net.Sockets;
using DisaggServing.Worker.Configuration;
using DisaggServing.Worker.Observability;
using Grpc.Core;

namespace DisaggServing.Worker.Kv;

/// <summary>
/// The KV pull over the raw-TCP data channel (<see cref="KvDataChannelProtocol"/>): the same checks as over gRPC,
/// the lease released on the same connection. Declines (null) when Worker:KvDataChannel is off or the peer does
/// not speak the channel; the channel has no extend frame, so lease calls off the connection go over gRPC.
/// </summary>
public sealed class KvTcpTransport(
    WorkerSettings settings,
    KvDataChannelClient dataChannel,
    KvGrpcTransport leaseCalls,
    WorkerMetrics metrics,
    ILogger<KvTcpTransport> logger) : IKvTransport
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan ReleaseTimeout = TimeSpan.FromSeconds(5);

    /// <inheritdoc />
    public string Name => "tcp";

    /// <inheritdoc />
    public async Task<KvTransportResult?> PullAsync(KvTransportPull pull, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pull);
        if (!settings.KvDataChannel)
            return null;
        try
        {
            return await PullCoreAsync(pull, cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            // The peer refused the pull with an error frame (ErrorOf): the same texts as over gRPC.
            return KvPeerStatus.Failed(e, pull.Elapsed());
        }
    }

    /// <inheritdoc />
    public Task ExtendLeaseAsync(string host, int port, string leaseId, CancellationToken cancellationToken) =>
        leaseCalls.ExtendLeaseAsync(host, port, leaseId, cancellationToken);

    /// <inheritdoc />
    public Task ReleaseLeaseAsync(string host, int port, string leaseId, CancellationToken cancellationToken) =>
        leaseCalls.ReleaseLeaseAsync(host, port, leaseId, cancellationToken);

    private async Task<KvTransportResult?> PullCoreAsync(KvTransportPull pull, CancellationToken cancellationToken)
    {
        var plan = pull.Plan;
        var blockIds = pull.BlockIds;
        var host = pull.Host;
        var port = pull.Port;
        var leaseId = pull.LeaseId;
        var engineId = pull.RemoteEngineId;
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
            pull.Chosen();

            if (first.Type == KvDataFrame.Error)
                throw ErrorOf(first.Body);
            if (first.Type != KvDataFrame.Header)
                throw new InvalidDataException($"KV data channel: expected a header, got frame type {(byte)first.Type}.");
            var header = KvDataHeader.Parse(first.Body);
            if (!string.Equals(header.Model, settings.ModelId, StringComparison.OrdinalIgnoreCase))
                return new(KvPullResult.Failed($"The prefill engine serves {header.Model} but this engine serves {settings.ModelId}."), true);

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
                    return new(KvPullResult.Failed($"Block {chunkIndex} (id {chunkBlockId}) arrived out of order; expected block {index}."), true);
                if (length != header.PayloadBytesPerBlock)
                    return new(KvPullResult.Failed($"Block {index} has {length} bytes; expected {header.PayloadBytesPerBlock}."), true);
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
                    return new(KvPullResult.Failed($"Block {index} failed its checksum."), true);
                if (!check.Matches)
                    return new(KvPullResult.Failed($"Block {index} does not hold the KV of {leaseId} on {engineId}."), true);
                payloadBytes += length;
                index++;
            }
            if (index != blockIds.Count)
                return new(KvPullResult.Failed($"The stream ended after {index - plan.CachedBlocks} of {blockIds.Count - plan.CachedBlocks} blocks."), true);
            metrics.PullCopyTime.Observe(Stopwatch.GetElapsedTime(copyStart).TotalSeconds);

            await pull.WaitLinkTimeAsync(header.Node, header.LinkSlowdown, cancellationToken).ConfigureAwait(false);
            await ReleaseOnConnectionAsync(connection, leaseId, cancellationToken).ConfigureAwait(false);
            var pulled = blockIds.Count - plan.CachedBlocks;
            return new(new KvPullResult(true, null, pulled, pulled * header.RealBytesPerBlock, payloadBytes, pull.Elapsed()), true);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && timeout.IsCancellationRequested)
        {
            return new(KvPullResult.Failed("The KV pull timed out."), true);
        }
        catch (Exception e) when (e is IOException or SocketException or InvalidDataException)
        {
            return new(KvPullResult.Failed($"KV pull from {host}:{port} failed: {e.Message}", pull.Elapsed()), true);
        }
        finally
        {
            // Only a connection whose release went through goes back to the pool; any other is aborted.
            if (connection is not null)
                dataChannel.Return(connection);
        }
    }

    /// <summary>Ends the lease on the data connection; as with the gRPC call, a failure only loses the early release.</summary>
    private async Task ReleaseOnConnectionAsync(KvDataConnection connection, string leaseId, CancellationToken cancellationToken)
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
}
