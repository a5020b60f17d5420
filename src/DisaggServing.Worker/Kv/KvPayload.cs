using System.IO.Hashing;
using System.Text;

namespace DisaggServing.Worker.Kv;

/// <summary>
/// The bytes standing in for one KV block: deterministic from (prefill engine id, lease id, block index), so a
/// decoder can check every byte it pulls without having seen the prefill; the checksum is XXH3-64 of them
/// (<see cref="XxHash3"/>, seed 0). The layout is in <see cref="KvPayloadPattern"/>.
/// </summary>
public static class KvPayload
{
    /// <summary>The payload of block <paramref name="index"/> of lease <paramref name="leaseId"/> on <paramref name="engineId"/>.</summary>
    public static byte[] Create(string engineId, string leaseId, int index, int length)
    {
        var payload = GC.AllocateUninitializedArray<byte>(length);
        Pattern(engineId, leaseId, index, length).Write(payload, 0);
        return payload;
    }

    /// <summary>True when <paramref name="payload"/> is exactly what <see cref="Create"/> makes for these ids.</summary>
    public static bool Matches(ReadOnlySpan<byte> payload, string engineId, string leaseId, int index) =>
        Pattern(engineId, leaseId, index, payload.Length).Matches(payload, 0);

    /// <summary>The generator of block <paramref name="index"/>'s bytes (a payload of up to <paramref name="length"/>), to write or check them piece by piece.</summary>
    public static KvPayloadPattern Pattern(string engineId, string leaseId, int index, int length = KvPayloadPattern.PageBytes) =>
        new(Seed(engineId, leaseId, index), length);

    /// <summary>The seed of block <paramref name="index"/> of lease <paramref name="leaseId"/> on <paramref name="engineId"/>.</summary>
    public static ulong Seed(string engineId, string leaseId, int index) =>
        XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(engineId + "\n" + leaseId), index);

    /// <summary>XXH3-64 of <paramref name="payload"/> (the chunk's checksum).</summary>
    public static ulong Checksum(ReadOnlySpan<byte> payload) => XxHash3.HashToUInt64(payload);
}
