using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using Grpc.Core;

namespace DisaggServing.Worker.Kv;

/// <summary>
/// A <c>KvBlockChunk</c> as the prefill side sends it: the payload is not held anywhere but written by its pattern
/// straight into the response (as an engine reads KV that already sits in memory), hashed slice by slice as it goes,
/// the checksum written after it (protobuf fields may come in any order).
/// </summary>
/// <param name="BlockId">The block's id.</param>
/// <param name="Index">The block's position in the lease.</param>
/// <param name="Pattern">Its bytes.</param>
/// <param name="Length">Payload bytes.</param>
/// <param name="Corrupt">Flip the first payload byte after hashing it (the <c>fail_next_kv_transfer</c> fault on the serving side).</param>
public sealed record OutgoingKvChunk(int BlockId, int Index, KvPayloadPattern Pattern, int Length, bool Corrupt = false)
{
    private const int BlockIdTag = 1 << 3, IndexTag = 2 << 3, PayloadTag = (3 << 3) | 2, ChecksumTag = (4 << 3) | 1;

    /// <summary>The serialized size: each field's tag and value, defaults included.</summary>
    public int SerializedSize => 1 + VarintSize(Int32Wire(BlockId)) + 1 + VarintSize(Int32Wire(Index)) + 1 + VarintSize((uint)Length) + Length + 1 + 8;

    /// <summary>gRPC serializer: writes the chunk into <paramref name="context"/>'s buffer (the response itself when gRPC allows).</summary>
    public static void Serialize(OutgoingKvChunk chunk, SerializationContext context)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        ArgumentNullException.ThrowIfNull(context);
        context.SetPayloadLength(chunk.SerializedSize);
        chunk.WriteTo(context.GetBufferWriter());
        context.Complete();
    }

    /// <summary>Writes the chunk's wire bytes to <paramref name="writer"/>.</summary>
    public void WriteTo(IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var head = writer.GetSpan(3 * (1 + 10));
        var at = 0;
        head[at++] = BlockIdTag;
        at += WriteVarint(head[at..], Int32Wire(BlockId));
        head[at++] = IndexTag;
        at += WriteVarint(head[at..], Int32Wire(Index));
        head[at++] = PayloadTag;
        at += WriteVarint(head[at..], (uint)Length);
        writer.Advance(at);

        var hash = new XxHash3();
        for (var offset = 0; offset < Length;)
        {
            var span = writer.GetSpan();
            var n = Math.Min(span.Length, Length - offset);
            span = span[..n];
            Pattern.Write(span, offset);
            hash.Append(span);
            if (Corrupt && offset == 0)
                span[0] ^= 0xFF;
            writer.Advance(n);
            offset += n;
        }

        var tail = writer.GetSpan(9);
        tail[0] = ChecksumTag;
        BinaryPrimitives.WriteUInt64LittleEndian(tail[1..], hash.GetCurrentHashAsUInt64());
        writer.Advance(9);
    }

    // protobuf int32: negative values are sign-extended to 64 bits.
    private static ulong Int32Wire(int value) => (ulong)(long)value;

    private static int VarintSize(ulong value)
    {
        var size = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            size++;
        }
        return size;
    }

    private static int WriteVarint(Span<byte> destination, ulong value)
    {
        var i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }
        destination[i++] = (byte)value;
        return i;
    }
}
