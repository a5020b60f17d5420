using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;

namespace DisaggServing.Worker.Kv;

/// <summary>
/// A <c>KvBlockChunk</c> as the puller receives it: its fields, and what checking its payload found, done while the
/// bytes are still in gRPC's receive buffer (no copy into a message): the payload's XXH3-64, the seed it opens with,
/// and whether every byte is that seed's pattern (<see cref="KvPayloadPattern"/>). The puller compares these with the
/// chunk's checksum and the seed the block should have; together that checks every byte.
/// </summary>
public sealed class ReceivedKvChunk
{
    // Checking in slices keeps each in cache between hashing it and comparing it.
    private const int SliceBytes = 64 * 1024;

    public int BlockId { get; private init; }
    public int Index { get; private init; }

    /// <summary>The checksum the sender put in the chunk (XXH3-64 of the payload it sent).</summary>
    public ulong Checksum { get; private init; }

    /// <summary>Payload bytes received.</summary>
    public int Length { get; private init; }

    /// <summary>XXH3-64 of the payload received.</summary>
    public ulong ActualChecksum { get; private init; }

    /// <summary>The seed the payload opens with (<see cref="KvPayloadPattern.FromHead"/>).</summary>
    public ulong Seed { get; private init; }

    /// <summary>Every payload byte is the pattern of <see cref="Seed"/>.</summary>
    public bool MatchesSeed { get; private init; }

    /// <summary>True when the payload is exactly block <paramref name="expectedSeed"/>'s bytes (the seed it carries is that one, and the rest follows from it).</summary>
    public bool Holds(ulong expectedSeed)
    {
        var mask = KvPayloadPattern.HeadMask(Length);
        return MatchesSeed && (Seed & mask) == (expectedSeed & mask);
    }

    /// <summary>gRPC deserializer: parses and checks one serialized <c>KvBlockChunk</c>.</summary>
    public static ReceivedKvChunk Deserialize(Grpc.Core.DeserializationContext context)
    {
        var sequence = context.PayloadAsReadOnlySequence();
        return Parse(sequence.IsSingleSegment ? sequence.FirstSpan : sequence.ToArray());
    }

    /// <summary>Parses <c>KvBlockChunk</c> wire bytes (fields in any order, unknown fields skipped) and checks the payload.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a <c>KvBlockChunk</c>.</exception>
    public static ReceivedKvChunk Parse(ReadOnlySpan<byte> message)
    {
        int blockId = 0, index = 0;
        ulong checksum = 0;
        var payload = ReadOnlySpan<byte>.Empty;
        var at = 0;
        while (at < message.Length)
        {
            var tag = ReadVarint(message, ref at);
            switch (tag)
            {
                case 1 << 3: // block_id, varint
                    blockId = (int)ReadVarint(message, ref at);
                    break;
                case 2 << 3: // index, varint
                    index = (int)ReadVarint(message, ref at);
                    break;
                case (3 << 3) | 2: // payload, length-delimited
                    payload = Take(message, ref at, ReadLength(message, ref at));
                    break;
                case (4 << 3) | 1: // checksum, fixed64
                    checksum = BinaryPrimitives.ReadUInt64LittleEndian(Take(message, ref at, 8));
                    break;
                default:
                    Skip(message, ref at, tag);
                    break;
            }
        }

        var seed = KvPayloadPattern.FromHead(payload);
        var pattern = new KvPayloadPattern(seed, payload.Length);
        var hash = new XxHash3();
        var matches = true;
        for (var offset = 0; offset < payload.Length; offset += SliceBytes)
        {
            var slice = payload.Slice(offset, Math.Min(SliceBytes, payload.Length - offset));
            hash.Append(slice);
            matches = matches && pattern.Matches(slice, offset);
        }
        return new ReceivedKvChunk
        {
            BlockId = blockId,
            Index = index,
            Checksum = checksum,
            Length = payload.Length,
            ActualChecksum = hash.GetCurrentHashAsUInt64(),
            Seed = seed,
            MatchesSeed = matches,
        };
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> data, ref int at)
    {
        ulong value = 0;
        for (var shift = 0; shift < 70; shift += 7)
        {
            if (at >= data.Length)
                throw new InvalidDataException("KvBlockChunk: truncated varint.");
            var b = data[at++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
                return value;
        }
        throw new InvalidDataException("KvBlockChunk: malformed varint.");
    }

    private static int ReadLength(ReadOnlySpan<byte> data, ref int at)
    {
        var length = ReadVarint(data, ref at);
        return length <= (ulong)(data.Length - at) ? (int)length : throw new InvalidDataException("KvBlockChunk: a field runs past the message.");
    }

    private static ReadOnlySpan<byte> Take(ReadOnlySpan<byte> data, scoped ref int at, int length)
    {
        if (length > data.Length - at)
            throw new InvalidDataException("KvBlockChunk: a field runs past the message.");
        var field = data.Slice(at, length);
        at += length;
        return field;
    }

    private static void Skip(ReadOnlySpan<byte> data, ref int at, ulong tag)
    {
        if (tag >> 3 == 0)
            throw new InvalidDataException("KvBlockChunk: field number 0.");
        switch (tag & 7)
        {
            case 0:
                ReadVarint(data, ref at);
                break;
            case 1:
                Take(data, ref at, 8);
                break;
            case 2:
                Take(data, ref at, ReadLength(data, ref at));
                break;
            case 5:
                Take(data, ref at, 4);
                break;
            default:
                throw new InvalidDataException($"KvBlockChunk: unsupported wire type {tag & 7}.");
        }
    }
}
