using System.Buffers;
using System.Buffers.Binary;
using System.Net.Sockets;

namespace DisaggServing.Worker.Kv;

/// <summary>
/// The puller's end of one KV data-channel connection (<see cref="KvDataChannelProtocol"/>): a socket and a large
/// receive buffer that frames are parsed from in place, rented from the shared pool for the length of a pull (an idle
/// pooled connection holds none: under load there are as many connections as pulls in flight). Not thread-safe; one
/// pull at a time.
/// </summary>
public sealed class KvDataConnection : IDisposable
{
    /// <summary>Receive buffer bytes.</summary>
    public const int ReceiveBufferBytes = 1024 * 1024;

    /// <summary>How long a peer may take to echo the preamble before it counts as not speaking the channel.</summary>
    public static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(5);

    private readonly Socket _socket;
    private byte[] _buffer = [];
    private int _start, _end;

    private KvDataConnection(Socket socket, string peer)
    {
        _socket = socket;
        Peer = peer;
    }

    /// <summary>host:port of the prefill.</summary>
    public string Peer { get; }

    /// <summary>True once a pull on it went through completely: it may carry another.</summary>
    public bool Reusable { get; set; }

    /// <summary>Bytes received and not yet taken.</summary>
    public ReadOnlySpan<byte> Buffered => _buffer.AsSpan(_start, _end - _start);

    /// <summary>
    /// Connects and exchanges the preamble. Null when the peer does not speak the data channel (it closed the
    /// connection, reset it or answered something else); connection failures throw.
    /// </summary>
    public static async Task<KvDataConnection?> OpenAsync(string host, int port, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true, ReceiveBufferSize = 4 * ReceiveBufferBytes, SendBufferSize = 4 * ReceiveBufferBytes };
        var connection = new KvDataConnection(socket, $"{host}:{port}");
        try
        {
            await socket.ConnectAsync(host, port, cancellationToken).ConfigureAwait(false);
            using var handshake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            handshake.CancelAfter(HandshakeTimeout);
            try
            {
                await connection.SendAsync(KvDataChannelProtocol.Preamble.ToArray(), handshake.Token).ConfigureAwait(false);
                await connection.EnsureAsync(KvDataChannelProtocol.PreambleBytes, handshake.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or SocketException
                || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                connection.Dispose();
                return null;
            }
            if (!connection.Buffered[..KvDataChannelProtocol.PreambleBytes].SequenceEqual(KvDataChannelProtocol.Preamble))
            {
                connection.Dispose();
                return null;
            }
            connection.Take(KvDataChannelProtocol.PreambleBytes);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Sends all of <paramref name="bytes"/>.</summary>
    public async ValueTask SendAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        while (!bytes.IsEmpty)
        {
            var sent = await _socket.SendAsync(bytes, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            bytes = bytes[sent..];
        }
    }

    /// <summary>Makes at least <paramref name="count"/> bytes <see cref="Buffered"/>.</summary>
    /// <exception cref="IOException">The connection ended first.</exception>
    public async ValueTask EnsureAsync(int count, CancellationToken cancellationToken)
    {
        if (count > ReceiveBufferBytes)
            throw new InvalidDataException($"KV data channel: a {count}-byte frame exceeds the receive buffer.");
        if (_end - _start >= count)
            return;
        if (_buffer.Length == 0)
            _buffer = ArrayPool<byte>.Shared.Rent(ReceiveBufferBytes);
        if (_start == _end)
            _start = _end = 0;
        else if (_buffer.Length - _start < count)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
        while (_end - _start < count)
            await FillAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Receives at least one more byte (there must be room: take what is buffered first).</summary>
    /// <exception cref="IOException">The connection ended.</exception>
    public async ValueTask FillAsync(CancellationToken cancellationToken)
    {
        if (_buffer.Length == 0)
            _buffer = ArrayPool<byte>.Shared.Rent(ReceiveBufferBytes);
        if (_start == _end)
            _start = _end = 0;
        var n = await _socket.ReceiveAsync(_buffer.AsMemory(_end), SocketFlags.None, cancellationToken).ConfigureAwait(false);
        if (n == 0)
            throw new IOException("The prefill closed the KV data channel.");
        _end += n;
    }

    /// <summary>Marks <paramref name="count"/> buffered bytes taken.</summary>
    public void Take(int count) => _start += count;

    /// <summary>Reads a control frame: its type and body (copied).</summary>
    public async ValueTask<(KvDataFrame Type, byte[] Body)> ReadFrameAsync(CancellationToken cancellationToken)
    {
        await EnsureAsync(KvDataChannelProtocol.FrameHeaderBytes, cancellationToken).ConfigureAwait(false);
        var type = (KvDataFrame)Buffered[0];
        if (type == KvDataFrame.Block)
            return (type, []);
        var length = BinaryPrimitives.ReadInt32LittleEndian(Buffered[1..]);
        if (length < 0 || length > KvDataChannelProtocol.MaxFrameBody)
            throw new InvalidDataException($"KV data channel: frame of {length} bytes.");
        Take(KvDataChannelProtocol.FrameHeaderBytes);
        await EnsureAsync(length, cancellationToken).ConfigureAwait(false);
        var body = Buffered[..length].ToArray();
        Take(length);
        return (type, body);
    }

    /// <summary>Gives the receive buffer back to the pool when nothing is buffered (between pulls).</summary>
    public void ReleaseBuffer()
    {
        if (_buffer.Length == 0 || _start != _end)
            return;
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
        _start = _end = 0;
    }

    /// <summary>Aborts the connection and gives its buffer back.</summary>
    public void Dispose()
    {
        _socket.Dispose();
        if (_buffer.Length > 0)
            ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
        _start = _end = 0;
    }
}
