using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace DisaggServing.Worker.Kv;

/// <summary>
/// The bytes standing in for one KV block: deterministic from (prefill engine id, lease id, block index), so a
/// decoder can check every byte it pulls without having seen the prefill; the checksum is xxHash64 of them.
/// </summary>
public static class KvPayload
{
    /// <summary>The payload of block <paramref name="index"/> of lease <paramref name="leaseId"/> on <paramref name="engineId"/>.</summary>
    public static byte[] Create(string engineId, string leaseId, int index, int length)
    {
        var payload = new byte[length];
        Fill(payload, engineId, leaseId, index);
        return payload;
    }

    /// <summary>True when <paramref name="payload"/> is exactly what <see cref="Create"/> makes for these ids.</summary>
    public static bool Matches(ReadOnlySpan<byte> payload, string engineId, string leaseId, int index)
    {
        var expected = payload.Length <= 4096 ? stackalloc byte[payload.Length] : new byte[payload.Length];
        Fill(expected, engineId, leaseId, index);
        return payload.SequenceEqual(expected);
    }

    /// <summary>xxHash64 of <paramref name="payload"/> (the chunk's checksum).</summary>
    public static ulong Checksum(ReadOnlySpan<byte> payload) => XxHash64.HashToUInt64(payload);

    private static void Fill(Span<byte> destination, string engineId, string leaseId, int index)
    {
        var seed = XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(engineId + "\n" + leaseId), index);
        var state = seed;
        var i = 0;
        for (; i + 8 <= destination.Length; i += 8)
            BinaryPrimitives.WriteUInt64LittleEndian(destination[i..], Next(ref state));
        if (i < destination.Length)
        {
            Span<byte> tail = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(tail, Next(ref state));
            tail[..(destination.Length - i)].CopyTo(destination[i..]);
        }
    }

    private static ulong Next(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
