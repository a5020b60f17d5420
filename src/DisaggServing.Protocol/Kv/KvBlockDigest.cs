using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace DisaggServing.Protocol.Kv;

/// <summary>
/// A block's full 32-byte SHA-256 digest (vLLM's <c>BlockHash</c>). Chains are built on the full digest; the index keys
/// blocks by <see cref="Key"/>, the low 64 bits, which is exactly what vLLM publishes in KV events when
/// <c>VLLM_KV_EVENTS_USE_INT_BLOCK_HASHES</c> is on (its default): <c>int.from_bytes(digest, "big") &amp; (2**64 - 1)</c>.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public readonly struct KvBlockDigest : IEquatable<KvBlockDigest>
{
    /// <summary>Bytes in a digest.</summary>
    public const int Size = 32;

    private readonly ulong _a;
    private readonly ulong _b;
    private readonly ulong _c;
    private readonly ulong _d;

    /// <summary>The digest of <paramref name="bytes"/> (exactly <see cref="Size"/> bytes, in order).</summary>
    public KvBlockDigest(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size)
            throw new ArgumentException($"A block digest is {Size} bytes; got {bytes.Length}.", nameof(bytes));
        _a = BinaryPrimitives.ReadUInt64BigEndian(bytes);
        _b = BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]);
        _c = BinaryPrimitives.ReadUInt64BigEndian(bytes[16..]);
        _d = BinaryPrimitives.ReadUInt64BigEndian(bytes[24..]);
    }

    /// <summary>The low 64 bits (the digest's last 8 bytes, big-endian): the block's key in the KV index.</summary>
    public ulong Key => _d;

    /// <summary>Writes the 32 bytes to <paramref name="destination"/>.</summary>
    public void CopyTo(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, _a);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], _b);
        BinaryPrimitives.WriteUInt64BigEndian(destination[16..], _c);
        BinaryPrimitives.WriteUInt64BigEndian(destination[24..], _d);
    }

    /// <summary>The digest as lower-case hex.</summary>
    public override string ToString()
    {
        Span<byte> bytes = stackalloc byte[Size];
        CopyTo(bytes);
        return Convert.ToHexStringLower(bytes);
    }

    /// <summary>
    /// The index key of a hash as an engine publishes it as bytes: the low 64 bits of the big-endian number
    /// (vLLM's own int conversion, and llm-d's); shorter values are zero-extended.
    /// </summary>
    public static ulong KeyOf(ReadOnlySpan<byte> hash)
    {
        if (hash.Length >= 8)
            return BinaryPrimitives.ReadUInt64BigEndian(hash[^8..]);
        ulong key = 0;
        foreach (var b in hash)
            key = (key << 8) | b;
        return key;
    }

    /// <inheritdoc />
    public bool Equals(KvBlockDigest other) => _a == other._a && _b == other._b && _c == other._c && _d == other._d;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is KvBlockDigest other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(_a, _b, _c, _d);

    /// <summary>Equality.</summary>
    public static bool operator ==(KvBlockDigest left, KvBlockDigest right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(KvBlockDigest left, KvBlockDigest right) => !left.Equals(right);
}
