using System.Buffers.Binary;
using System.IO.Hashing;

namespace DisaggServing.Worker.Kv;

/// <summary>
/// Checks one block's payload as it arrives on the KV data channel, piece by piece in the receive buffer (no copy):
/// its XXH3-64, and whether every byte is the pattern of the seed the block should have (which also checks the seed
/// it opens with, as <see cref="ReceivedKvChunk.Holds"/> does on the gRPC path).
/// </summary>
/// <param name="expectedSeed">The seed of the block the puller asked for.</param>
/// <param name="length">Payload bytes.</param>
public sealed class KvDataChannelReceiver(ulong expectedSeed, long length)
{
    // Checking in slices keeps each in cache between hashing it and comparing it.
    private const int SliceBytes = 64 * 1024;

    private readonly KvPayloadPattern _pattern = new(expectedSeed, (int)Math.Min(length, int.MaxValue));
    private readonly XxHash3 _hash = new();
    private long _offset;

    /// <summary>All payload bytes seen.</summary>
    public bool Complete => _offset == length;

    /// <summary>Every byte so far is the expected block's.</summary>
    public bool Matches { get; private set; } = true;

    /// <summary>XXH3-64 of the payload (once complete).</summary>
    public ulong Checksum => _hash.GetCurrentHashAsUInt64();

    /// <summary>Checks and takes as much of this block's payload as <paramref name="connection"/> has buffered.</summary>
    public void Append(KvDataConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var available = connection.Buffered;
        var n = (int)Math.Min(available.Length, length - _offset);
        var payload = available[..n];
        for (var at = 0; at < n; at += SliceBytes)
        {
            var slice = payload.Slice(at, Math.Min(SliceBytes, n - at));
            _hash.Append(slice);
            Matches = Matches && _pattern.Matches(slice, _offset + at);
        }
        _offset += n;
        connection.Take(n);
    }

    /// <summary>Takes a block frame's header (<see cref="KvDataChannelProtocol.BlockHeaderBytes"/> buffered).</summary>
    public static (int Index, int BlockId, long Length) ReadBlockHeader(KvDataConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var head = connection.Buffered;
        var result = (BinaryPrimitives.ReadInt32LittleEndian(head[1..]), BinaryPrimitives.ReadInt32LittleEndian(head[5..]), BinaryPrimitives.ReadInt64LittleEndian(head[9..]));
        if (result.Item3 < 0)
            throw new InvalidDataException("KV data channel: negative block length.");
        connection.Take(KvDataChannelProtocol.BlockHeaderBytes);
        return result;
    }

    /// <summary>Takes a block's checksum (<see cref="KvDataChannelProtocol.BlockTrailerBytes"/> buffered).</summary>
    public static ulong ReadChecksum(KvDataConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var checksum = BinaryPrimitives.ReadUInt64LittleEndian(connection.Buffered);
        connection.Take(KvDataChannelProtocol.BlockTrailerBytes);
        return checksum;
    }
}
