using System.Buffers.Binary;
using System.Text;

namespace DisaggServing.Worker.Kv;

/// <summary>
/// The raw-TCP KV data channel on KvPort, beside gRPC (NIXL's split: metadata over a side channel, bytes over a
/// transport). A connection opens with <see cref="Preamble"/> (8 bytes <c>DSKVPULL</c>, the version as a
/// little-endian uint32, 12 zero bytes: as long as the HTTP/2 preface, so an HTTP/2-only server rejects it at once
/// rather than wait for more); the prefill echoes it, so a peer that does not speak the channel (its HTTP/2 server closes
/// the connection on a bad preface) is told apart before anything happened. Then, any number of times:
/// <list type="number">
/// <item>the puller sends a <see cref="KvDataFrame.Request"/> (<see cref="KvDataRequest"/>);</item>
/// <item>the prefill answers <see cref="KvDataFrame.Error"/> (validation failed, the gRPC path's status code and
/// text) or <see cref="KvDataFrame.Header"/> (<see cref="KvDataHeader"/>, what KvPeerHeaders carry), then one
/// <see cref="KvDataFrame.Block"/> per block (<see cref="BlockHeaderBytes"/> of index, block id and payload length,
/// the payload, then its XXH3-64), then <see cref="KvDataFrame.Done"/>, or <see cref="KvDataFrame.Error"/> in place of
/// a block when the lease ends mid-pull;</item>
/// <item>after its modelled link wait the puller sends <see cref="KvDataFrame.Release"/>; the prefill releases the
/// lease and answers <see cref="KvDataFrame.Released"/> (one byte: found).</item>
/// </list>
/// Every frame but Block is a type byte and a little-endian uint32 body length, then the body; strings are a uint16
/// byte count and UTF-8. Integers are little-endian. A connection that saw an error is closed.
/// </summary>
public static class KvDataChannelProtocol
{
    /// <summary>Protocol version.</summary>
    public const uint Version = 1;

    /// <summary>Bytes of <see cref="Preamble"/>.</summary>
    public const int PreambleBytes = 24;

    /// <summary>Bytes of a frame's type and body length.</summary>
    public const int FrameHeaderBytes = 5;

    /// <summary>Bytes of a block frame before its payload: type, index (int32), block id (int32), payload length (int64).</summary>
    public const int BlockHeaderBytes = 1 + 4 + 4 + 8;

    /// <summary>Bytes after a block's payload: its XXH3-64.</summary>
    public const int BlockTrailerBytes = 8;

    /// <summary>Largest control frame body accepted (a request of many block ids).</summary>
    public const int MaxFrameBody = 4 * 1024 * 1024;

    /// <summary>Status code of an <see cref="KvDataFrame.Error"/> frame: as gRPC's FAILED_PRECONDITION.</summary>
    public const byte FailedPrecondition = 9;

    /// <summary>Status code of an <see cref="KvDataFrame.Error"/> frame: as gRPC's INVALID_ARGUMENT.</summary>
    public const byte InvalidArgument = 3;

    /// <summary>The bytes a data-channel connection opens with, and the prefill's echo of them.</summary>
    public static ReadOnlySpan<byte> Preamble => [(byte)'D', (byte)'S', (byte)'K', (byte)'V', (byte)'P', (byte)'U', (byte)'L', (byte)'L', (byte)Version, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

    /// <summary>The first 8 bytes of <see cref="Preamble"/>: what the KvPort listener looks for.</summary>
    public static ReadOnlySpan<byte> Magic => Preamble[..8];

    /// <summary>Writes a frame's type and body length.</summary>
    public static void WriteFrameHeader(Span<byte> destination, KvDataFrame type, int bodyLength)
    {
        destination[0] = (byte)type;
        BinaryPrimitives.WriteInt32LittleEndian(destination[1..], bodyLength);
    }

    /// <summary>Writes a block frame's header.</summary>
    public static void WriteBlockHeader(Span<byte> destination, int index, int blockId, long length)
    {
        destination[0] = (byte)KvDataFrame.Block;
        BinaryPrimitives.WriteInt32LittleEndian(destination[1..], index);
        BinaryPrimitives.WriteInt32LittleEndian(destination[5..], blockId);
        BinaryPrimitives.WriteInt64LittleEndian(destination[9..], length);
    }

    /// <summary>A whole control frame: type, length, body.</summary>
    public static byte[] Frame(KvDataFrame type, ReadOnlySpan<byte> body)
    {
        var frame = new byte[FrameHeaderBytes + body.Length];
        WriteFrameHeader(frame, type, body.Length);
        body.CopyTo(frame.AsSpan(FrameHeaderBytes));
        return frame;
    }

    /// <summary>An error frame: code and message.</summary>
    public static byte[] ErrorFrame(byte code, string message)
    {
        var body = new FrameWriter();
        body.Byte(code);
        body.String(message);
        return Frame(KvDataFrame.Error, body.ToArray());
    }

    /// <summary>Builds a frame body.</summary>
    internal sealed class FrameWriter
    {
        private readonly MemoryStream _stream = new();

        public void Byte(byte value) => _stream.WriteByte(value);

        public void Int32(int value)
        {
            Span<byte> b = stackalloc byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(b, value);
            _stream.Write(b);
        }

        public void Int64(long value)
        {
            Span<byte> b = stackalloc byte[8];
            BinaryPrimitives.WriteInt64LittleEndian(b, value);
            _stream.Write(b);
        }

        public void Double(double value) => Int64(BitConverter.DoubleToInt64Bits(value));

        public void String(string value)
        {
            var bytes = Encoding.UTF8.GetBytes(value);
            if (bytes.Length > ushort.MaxValue)
                throw new ArgumentException("String too long for the KV data channel.", nameof(value));
            Span<byte> b = stackalloc byte[2];
            BinaryPrimitives.WriteUInt16LittleEndian(b, (ushort)bytes.Length);
            _stream.Write(b);
            _stream.Write(bytes);
        }

        public byte[] ToArray() => _stream.ToArray();
    }

    /// <summary>Reads a frame body.</summary>
    internal ref struct FrameReader(ReadOnlySpan<byte> body)
    {
        private readonly ReadOnlySpan<byte> _body = body;
        private int _at;

        public byte Byte() => Take(1)[0];

        public int Int32() => BinaryPrimitives.ReadInt32LittleEndian(Take(4));

        public long Int64() => BinaryPrimitives.ReadInt64LittleEndian(Take(8));

        public double Double() => BitConverter.Int64BitsToDouble(Int64());

        public string String() => Encoding.UTF8.GetString(Take(BinaryPrimitives.ReadUInt16LittleEndian(Take(2))));

        private ReadOnlySpan<byte> Take(int n)
        {
            if (n > _body.Length - _at)
                throw new InvalidDataException("KV data channel: a frame ends early.");
            var span = _body.Slice(_at, n);
            _at += n;
            return span;
        }
    }
}

/// <summary>Frame types of the KV data channel (<see cref="KvDataChannelProtocol"/>).</summary>
public enum KvDataFrame : byte
{
    /// <summary>Puller → prefill: which blocks of which lease (<see cref="KvDataRequest"/>).</summary>
    Request = (byte)'Q',

    /// <summary>Prefill → puller: the pull is accepted; the serving engine's geometry (<see cref="KvDataHeader"/>).</summary>
    Header = (byte)'H',

    /// <summary>Prefill → puller: one block (its own framing: <see cref="KvDataChannelProtocol.BlockHeaderBytes"/>).</summary>
    Block = (byte)'B',

    /// <summary>Prefill → puller: all blocks sent.</summary>
    Done = (byte)'D',

    /// <summary>Prefill → puller: the pull failed (status code byte, message).</summary>
    Error = (byte)'E',

    /// <summary>Puller → prefill: the blocks are here, end the lease.</summary>
    Release = (byte)'R',

    /// <summary>Prefill → puller: the lease is released (found byte).</summary>
    Released = (byte)'A',
}

/// <summary>A pull request on the KV data channel (PullBlocksRequest plus the metadata gRPC carries in headers).</summary>
/// <param name="LeaseId">The prefill's remote_request_id.</param>
/// <param name="RequesterEngineId">The puller's engine id.</param>
/// <param name="Model">The puller's model (KV cannot move between models).</param>
/// <param name="Node">The puller's node.</param>
/// <param name="BlockIds">Leased block ids to send, in order.</param>
/// <param name="TraceParent">W3C traceparent of the pull's span ("" for none), as gRPC carries it in a header.</param>
public sealed record KvDataRequest(string LeaseId, string RequesterEngineId, string Model, string Node, IReadOnlyList<int> BlockIds, string TraceParent = "")
{
    /// <summary>The request frame.</summary>
    public byte[] ToFrame()
    {
        var body = new KvDataChannelProtocol.FrameWriter();
        body.String(LeaseId);
        body.String(RequesterEngineId);
        body.String(Model);
        body.String(Node);
        body.Int32(BlockIds.Count);
        foreach (var id in BlockIds)
            body.Int32(id);
        body.String(TraceParent);
        return KvDataChannelProtocol.Frame(KvDataFrame.Request, body.ToArray());
    }

    /// <summary>Parses a request frame's body.</summary>
    public static KvDataRequest Parse(ReadOnlySpan<byte> body)
    {
        var reader = new KvDataChannelProtocol.FrameReader(body);
        var lease = reader.String();
        var requester = reader.String();
        var model = reader.String();
        var node = reader.String();
        var count = reader.Int32();
        if (count < 0 || count > body.Length / 4)
            throw new InvalidDataException("KV data channel: bad block count.");
        var ids = new int[count];
        for (var i = 0; i < count; i++)
            ids[i] = reader.Int32();
        return new KvDataRequest(lease, requester, model, node, ids, reader.String());
    }
}

/// <summary>What the serving engine tells the puller before the blocks (as KvPeerHeaders do on gRPC).</summary>
/// <param name="EngineId">Serving engine.</param>
/// <param name="Node">Its node (same node ⇒ NVLink).</param>
/// <param name="Model">Its model.</param>
/// <param name="BlockSize">Tokens per block.</param>
/// <param name="RealBytesPerBlock">Real KV bytes a block stands for.</param>
/// <param name="PayloadBytesPerBlock">Payload bytes per block actually sent.</param>
/// <param name="LinkSlowdown">The serving end's injected link slowdown.</param>
public sealed record KvDataHeader(string EngineId, string Node, string Model, int BlockSize, long RealBytesPerBlock, long PayloadBytesPerBlock, double LinkSlowdown)
{
    /// <summary>The header frame.</summary>
    public byte[] ToFrame()
    {
        var body = new KvDataChannelProtocol.FrameWriter();
        body.String(EngineId);
        body.String(Node);
        body.String(Model);
        body.Int32(BlockSize);
        body.Int64(RealBytesPerBlock);
        body.Int64(PayloadBytesPerBlock);
        body.Double(LinkSlowdown);
        return KvDataChannelProtocol.Frame(KvDataFrame.Header, body.ToArray());
    }

    /// <summary>Parses a header frame's body.</summary>
    public static KvDataHeader Parse(ReadOnlySpan<byte> body)
    {
        var reader = new KvDataChannelProtocol.FrameReader(body);
        return new KvDataHeader(reader.String(), reader.String(), reader.String(), reader.Int32(), reader.Int64(), reader.Int64(), reader.Double());
    }
}
