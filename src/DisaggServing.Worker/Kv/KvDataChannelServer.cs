using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using System.IO.Hashing;
using System.IO.Pipelines;
using System.Net.Sockets;
using DisaggServing.Worker.Admin;
using DisaggServing.Worker.Configuration;
using DisaggServing.Worker.Connector;
using DisaggServing.Worker.Observability;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;

namespace DisaggServing.Worker.Kv;

/// <summary>
/// The prefill side of the raw-TCP KV data channel (<see cref="KvDataChannelProtocol"/>), a Kestrel connection
/// middleware on the KvPort listener: a connection that opens with the channel's preamble is served here, anything
/// else (the HTTP/2 preface) goes on to gRPC untouched. Validates a pull exactly as <see cref="KvPeerService"/>'s
/// PullBlocks does (same texts and status codes), then writes the blocks straight from pooled buffers to the socket.
/// </summary>
public sealed class KvDataChannelServer(
    WorkerSettings settings,
    IKvLeases leases,
    FaultState faults,
    WorkerMetrics metrics,
    IHostApplicationLifetime lifetime,
    ILogger<KvDataChannelServer> logger)
{
    /// <summary>Bytes per socket send (two such buffers: one is filled while the other is sent).</summary>
    public const int SendBufferBytes = 1024 * 1024;

    /// <summary>The connection middleware: serves the data channel or hands the connection on, unread.</summary>
    public async Task OnConnectionAsync(ConnectionContext connection, ConnectionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(next);
        var input = connection.Transport.Input;
        long examined = 0;
        ReadResult read;
        while (true)
        {
            read = await input.ReadAsync().ConfigureAwait(false);
            if (read.Buffer.Length >= KvDataChannelProtocol.Magic.Length || read.IsCompleted || read.IsCanceled)
                break;
            examined = read.Buffer.Length;
            input.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }
        var buffer = read.Buffer;
        var ours = buffer.Length >= KvDataChannelProtocol.Magic.Length && StartsWithMagic(buffer);
        // Nothing consumed, and only what was already examined marked so: the next reader gets these bytes at once.
        input.AdvanceTo(buffer.Start, buffer.GetPosition(examined));
        if (!ours)
        {
            await next(connection).ConfigureAwait(false);
            return;
        }

        try
        {
            await ServeConnectionAsync(connection).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or InvalidDataException or OperationCanceledException or ConnectionResetException or ObjectDisposedException)
        {
            logger.LogDebug(e, "KV data channel connection {Connection} ended", connection.ConnectionId);
        }
    }

    private static bool StartsWithMagic(ReadOnlySequence<byte> buffer)
    {
        Span<byte> head = stackalloc byte[8];
        buffer.Slice(0, head.Length).CopyTo(head);
        return head.SequenceEqual(KvDataChannelProtocol.Magic);
    }

    private async Task ServeConnectionAsync(ConnectionContext connection)
    {
        var input = connection.Transport.Input;
        // Shutdown ends the connection too: a pooled connection idles here waiting for its next pull, and Kestrel's
        // graceful stop would otherwise wait for it until its shutdown timeout.
        using var closing = CancellationTokenSource.CreateLinkedTokenSource(connection.ConnectionClosed, lifetime.ApplicationStopping);
        var cancellation = closing.Token;
        var socket = connection.Features.Get<IConnectionSocketFeature>()?.Socket;
        if (socket is not null)
            socket.SendBufferSize = 2 * SendBufferBytes; // room for one buffer while the next is filled
        using var output = new Output(socket, connection.Transport.Output, cancellation);
        var preamble = new byte[KvDataChannelProtocol.PreambleBytes];
        if (!await ReadExactAsync(input, preamble, cancellation).ConfigureAwait(false))
            return;
        await output.SendAsync(KvDataChannelProtocol.Preamble.ToArray()).ConfigureAwait(false);
        if (!preamble.AsSpan().SequenceEqual(KvDataChannelProtocol.Preamble))
            return; // another version: the echo tells the puller to use gRPC

        var head = new byte[KvDataChannelProtocol.FrameHeaderBytes];
        while (await ReadExactAsync(input, head, cancellation).ConfigureAwait(false))
        {
            var length = BinaryPrimitives.ReadInt32LittleEndian(head.AsSpan(1));
            if ((KvDataFrame)head[0] != KvDataFrame.Request || length < 0 || length > KvDataChannelProtocol.MaxFrameBody)
                throw new InvalidDataException($"KV data channel: expected a request frame, got type {head[0]} of {length} bytes.");
            var body = new byte[length];
            if (!await ReadExactAsync(input, body, cancellation).ConfigureAwait(false))
                return;
            if (!await ServePullAsync(KvDataRequest.Parse(body), input, output, cancellation).ConfigureAwait(false))
                return;
        }
    }

    /// <summary>One pull and its release; false when the connection is done (an error was reported, or the puller left).</summary>
    private async Task<bool> ServePullAsync(KvDataRequest request, PipeReader input, Output output, CancellationToken cancellation)
    {
        ActivityContext.TryParse(request.TraceParent, null, isRemote: true, out var parent);
        using var activity = WorkerActivity.Source.StartActivity("kv_serve", ActivityKind.Server, parent);
        activity?.SetTag("disagg.kv.remote_request_id", request.LeaseId);
        activity?.SetTag("disagg.kv.requester_engine_id", request.RequesterEngineId);
        activity?.SetTag("disagg.kv.blocks", request.BlockIds.Count);
        var leaseId = request.LeaseId;
        var requesterModel = string.IsNullOrEmpty(request.Model) ? null : request.Model;
        if (KvPullCheck.Validate(leases, settings, leaseId, requesterModel, request.BlockIds, out var refusal) is not { } indices)
            return await FailAsync(output, refusal).ConfigureAwait(false);

        var payloadBytes = settings.PayloadBytesPerBlock;
        output.Write(new KvDataHeader(settings.EngineId, settings.Node, settings.ModelId, settings.BlockSize,
            settings.RealBytesPerBlock, payloadBytes, faults.LinkSlowdown).ToFrame());
        var corrupt = faults.TryConsumeFailNextTransfer();
        if (corrupt)
            logger.LogWarning("Injected fault: corrupting the KV of lease {Lease} sent to {Requester}", leaseId, request.RequesterEngineId);
        for (var i = 0; i < indices.Length; i++)
        {
            if (!leases.TryGetLease(leaseId, out _))
                return await FailAsync(output, KvPullCheck.LeaseEnded(leaseId)).ConfigureAwait(false);
            await WriteBlockAsync(output, indices[i], request.BlockIds[i], KvPayload.Pattern(settings.EngineId, leaseId, indices[i], payloadBytes), payloadBytes, corrupt && i == 0).ConfigureAwait(false);
            metrics.KvBlocksServed.Inc();
        }
        output.Write(KvDataChannelProtocol.Frame(KvDataFrame.Done, []));
        await output.FlushAsync().ConfigureAwait(false);

        // The puller waits its modelled link time, then ends the lease on this connection.
        var head = new byte[KvDataChannelProtocol.FrameHeaderBytes];
        if (!await ReadExactAsync(input, head, cancellation).ConfigureAwait(false) || (KvDataFrame)head[0] != KvDataFrame.Release)
        {
            // The puller went away (or broke the protocol) holding nothing of ours: free the blocks now.
            leases.ReleaseLease(leaseId);
            return false;
        }
        var found = leases.ReleaseLease(leaseId);
        await output.SendAsync(KvDataChannelProtocol.Frame(KvDataFrame.Released, [found ? (byte)1 : (byte)0])).ConfigureAwait(false);
        return true;
    }

    private static async ValueTask WriteBlockAsync(Output output, int index, int blockId, KvPayloadPattern pattern, int length, bool corrupt)
    {
        KvDataChannelProtocol.WriteBlockHeader((await output.GetSpanAsync(KvDataChannelProtocol.BlockHeaderBytes).ConfigureAwait(false)).Span, index, blockId, length);
        output.Advance(KvDataChannelProtocol.BlockHeaderBytes);
        var hash = new XxHash3();
        for (var offset = 0; offset < length;)
        {
            var n = Math.Min(length - offset, (await output.GetSpanAsync(1).ConfigureAwait(false)).Length);
            Fill(output.Span[..n], pattern, offset, hash, corrupt && offset == 0);
            output.Advance(n);
            offset += n;
        }
        BinaryPrimitives.WriteUInt64LittleEndian((await output.GetSpanAsync(KvDataChannelProtocol.BlockTrailerBytes).ConfigureAwait(false)).Span, hash.GetCurrentHashAsUInt64());
        output.Advance(KvDataChannelProtocol.BlockTrailerBytes);
    }

    private static void Fill(Span<byte> span, KvPayloadPattern pattern, int offset, XxHash3 hash, bool corrupt)
    {
        pattern.Write(span, offset);
        hash.Append(span);
        if (corrupt)
            span[0] ^= 0xFF; // after hashing: the checksum is of the true bytes
    }

    private static async ValueTask<bool> FailAsync(Output output, KvPullCheck.Refusal refusal)
    {
        await output.SendAsync(KvDataChannelProtocol.ErrorFrame((byte)refusal.Code, refusal.Message)).ConfigureAwait(false);
        return false;
    }

    /// <summary>Reads exactly <paramref name="destination"/>.Length bytes; false when the connection ended first.</summary>
    private static async ValueTask<bool> ReadExactAsync(PipeReader input, Memory<byte> destination, CancellationToken cancellation)
    {
        var filled = 0;
        while (filled < destination.Length)
        {
            var read = await input.ReadAsync(cancellation).ConfigureAwait(false);
            var buffer = read.Buffer;
            var n = (int)Math.Min(buffer.Length, destination.Length - filled);
            buffer.Slice(0, n).CopyTo(destination.Span[filled..]);
            filled += n;
            // Consumed = examined: bytes beyond these stay readable at once by the next read.
            input.AdvanceTo(buffer.GetPosition(n));
            if (filled < destination.Length && (read.IsCompleted || read.IsCanceled))
                return false;
        }
        return true;
    }

    /// <summary>
    /// Where the bytes go: two pooled <see cref="SendBufferBytes"/> buffers, one filled while the other is sent
    /// straight to the socket (Kestrel's output pipe when there is no socket, as under an in-memory transport).
    /// </summary>
    private sealed class Output(Socket? socket, PipeWriter pipe, CancellationToken cancellation) : IDisposable
    {
        // Rented: under load every pull in flight has its own connection, and 2 MiB of fresh arrays each were
        // large-object-heap garbage (the P/D overhead run showed it: prefill CPU per request ×5).
        private byte[] _buffer = ArrayPool<byte>.Shared.Rent(SendBufferBytes);
        private byte[] _spare = ArrayPool<byte>.Shared.Rent(SendBufferBytes);
        private int _used;
        private Task _sending = Task.CompletedTask;

        /// <summary>The free space after the last <see cref="GetSpanAsync"/>.</summary>
        public Span<byte> Span => _buffer.AsSpan(_used);

        /// <summary>Free space of at least <paramref name="size"/> bytes (sends what is buffered when there is less).</summary>
        public async ValueTask<Memory<byte>> GetSpanAsync(int size)
        {
            if (SendBufferBytes - _used < size)
                await FlushBufferAsync().ConfigureAwait(false);
            return _buffer.AsMemory(_used);
        }

        public void Advance(int count) => _used += count;

        /// <summary>Buffers a small frame (the buffer has room: frames are written between flushes).</summary>
        public void Write(ReadOnlySpan<byte> bytes)
        {
            if (SendBufferBytes - _used < bytes.Length)
                throw new InvalidOperationException("KV data channel: frame larger than the send buffer.");
            bytes.CopyTo(_buffer.AsSpan(_used));
            _used += bytes.Length;
        }

        /// <summary>Sends everything buffered and waits until it is out.</summary>
        public async ValueTask FlushAsync()
        {
            await FlushBufferAsync().ConfigureAwait(false);
            await _sending.ConfigureAwait(false);
        }

        /// <summary>Sends a control frame now (after anything buffered).</summary>
        public async ValueTask SendAsync(byte[] frame)
        {
            await FlushAsync().ConfigureAwait(false);
            await SendRawAsync(frame).ConfigureAwait(false);
        }

        private async ValueTask FlushBufferAsync()
        {
            await _sending.ConfigureAwait(false);
            if (_used == 0)
                return;
            var full = _buffer;
            var count = _used;
            (_buffer, _spare) = (_spare, _buffer);
            _used = 0;
            _sending = SendRawAsync(full.AsMemory(0, count)).AsTask();
        }

        /// <summary>Gives the buffers back once no send is using them.</summary>
        public void Dispose()
        {
            if (!_sending.IsCompleted)
                return; // an aborted send may still read them: leave them to the GC
            ArrayPool<byte>.Shared.Return(_buffer);
            ArrayPool<byte>.Shared.Return(_spare);
            _buffer = _spare = [];
        }

        private async ValueTask SendRawAsync(ReadOnlyMemory<byte> bytes)
        {
            if (socket is null)
            {
                await pipe.WriteAsync(bytes, cancellation).ConfigureAwait(false);
                return;
            }
            while (!bytes.IsEmpty)
            {
                var sent = await socket.SendAsync(bytes, SocketFlags.None, cancellation).ConfigureAwait(false);
                bytes = bytes[sent..];
            }
        }
    }
}
