using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace DisaggServing.Protocol.Kv;

/// <summary>
/// vLLM's prefix-cache block hash (<c>vllm/v1/core/kv_cache_utils.py</c>, <c>hash_block_tokens</c>), reproduced:
/// <code>
/// NONE_HASH = hash_fn(os.environ["PYTHONHASHSEED"])                      # the seed is a str
/// block_hash = hash_fn((parent_hash or NONE_HASH, tuple(block_tokens), extra_keys))   # extra_keys None
/// </code>
/// with <c>hash_fn</c> = SHA-256 over <c>pickle.dumps(obj, protocol=5)</c> (<c>sha256</c>, vLLM's default) or over
/// canonical CBOR (<c>sha256_cbor</c>). Chains run on full 32-byte digests; the index, the router and KV events use
/// <see cref="KvBlockDigest.Key"/>, the low 64 bits. Only full blocks are hashed. Blocks with extra keys (LoRA,
/// multimodal, cache salt, prompt embeddings) hash differently in vLLM and are never produced here.
/// </summary>
/// <remarks>
/// The serializations are written by hand for exactly this shape (a bytes object, a tuple of ints, None), byte for
/// byte what CPython 3's C pickler and cbor2 write; the golden vectors in the Protocol tests were computed with
/// CPython's own <c>pickle</c>. Thread-safe and immutable.
/// </remarks>
public sealed class KvBlockHashScheme
{
    /// <summary>The seed used when none is configured: engines started with <c>PYTHONHASHSEED=0</c> hash identically.</summary>
    public const string DefaultSeed = "0";

    private const int StackLimit = 1024;

    // One reusable SHA-256 per thread: the one-shot SHA256.HashData sets up a fresh digest context every call, which
    // costs more than hashing a block's ~100 bytes.
    [ThreadStatic]
    private static IncrementalHash? t_sha256;

    /// <summary>The scheme every component uses unless configured otherwise: vLLM's default <c>sha256</c>, seed "0".</summary>
    public static KvBlockHashScheme Default { get; } = new(KvBlockHashAlgorithm.Sha256, DefaultSeed);

    /// <summary>A scheme with <paramref name="algorithm"/> and <paramref name="seed"/> (vLLM's <c>PYTHONHASHSEED</c>).</summary>
    public KvBlockHashScheme(KvBlockHashAlgorithm algorithm, string? seed = DefaultSeed)
    {
        if (!Enum.IsDefined(algorithm))
            throw new ArgumentOutOfRangeException(nameof(algorithm), algorithm, "Unknown KV block hash algorithm.");
        Algorithm = algorithm;
        Seed = seed ?? DefaultSeed;
        if (Encoding.UTF8.GetByteCount(Seed) > 4096)
            throw new ArgumentException("The hash seed is limited to 4096 UTF-8 bytes.", nameof(seed));
        Root = HashSeed(algorithm, Seed);
    }

    /// <summary>The serialization hashed.</summary>
    public KvBlockHashAlgorithm Algorithm { get; }

    /// <summary>The seed (the value of vLLM's <c>PYTHONHASHSEED</c>).</summary>
    public string Seed { get; }

    /// <summary>vLLM's <c>NONE_HASH</c>: the parent of a prompt's first block.</summary>
    public KvBlockDigest Root { get; }

    /// <summary>The digest of one full block of <paramref name="tokens"/> after the block whose digest is <paramref name="parent"/>.</summary>
    public KvBlockDigest HashBlock(in KvBlockDigest parent, ReadOnlySpan<int> tokens)
    {
        var max = MaxEncodedLength(tokens.Length);
        byte[]? rented = null;
        var buffer = max <= StackLimit ? stackalloc byte[max] : (rented = ArrayPool<byte>.Shared.Rent(max));
        try
        {
            Span<byte> parentBytes = stackalloc byte[KvBlockDigest.Size];
            parent.CopyTo(parentBytes);
            var length = Algorithm == KvBlockHashAlgorithm.Sha256
                ? PickleBlock(parentBytes, tokens, buffer)
                : CborBlock(parentBytes, tokens, buffer);
            Span<byte> digest = stackalloc byte[KvBlockDigest.Size];
            var sha256 = t_sha256 ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            sha256.AppendData(buffer[..length]);
            sha256.GetHashAndReset(digest);
            return new KvBlockDigest(digest);
        }
        finally
        {
            if (rented is not null)
                ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Digests of every full block of <paramref name="tokens"/>, chained from <paramref name="parent"/> (the root when null).</summary>
    public KvBlockDigest[] HashDigests(ReadOnlySpan<int> tokens, int blockSize, KvBlockDigest? parent = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSize, 1);
        var digests = new KvBlockDigest[tokens.Length / blockSize];
        var current = parent ?? Root;
        for (var i = 0; i < digests.Length; i++)
            digests[i] = current = HashBlock(current, tokens.Slice(i * blockSize, blockSize));
        return digests;
    }

    /// <summary>Index keys (<see cref="KvBlockDigest.Key"/>) of every full block of <paramref name="tokens"/>; a trailing partial block is not hashed.</summary>
    public ulong[] HashPrompt(ReadOnlySpan<int> tokens, int blockSize = KvBlockHasher.DefaultBlockSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSize, 1);
        var keys = new ulong[tokens.Length / blockSize];
        var current = Root;
        for (var i = 0; i < keys.Length; i++)
        {
            current = HashBlock(current, tokens.Slice(i * blockSize, blockSize));
            keys[i] = current.Key;
        }

        return keys;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Algorithm.VllmName()} (seed \"{Seed}\")";

    // Worst case: pickle's 5 bytes per token plus framing, CBOR's 5 bytes per 32-bit token plus headers.
    private static int MaxEncodedLength(int tokens) => 64 + 5 * tokens;

    private static KvBlockDigest HashSeed(KvBlockHashAlgorithm algorithm, string seed)
    {
        var text = Encoding.UTF8.GetBytes(seed);
        var buffer = new byte[text.Length + 32];
        var length = algorithm == KvBlockHashAlgorithm.Sha256 ? PickleString(text, buffer) : CborHead(3, (ulong)text.Length, buffer);
        if (algorithm == KvBlockHashAlgorithm.Sha256Cbor)
        {
            text.CopyTo(buffer.AsSpan(length));
            length += text.Length;
        }

        return new KvBlockDigest(SHA256.HashData(buffer.AsSpan(0, length)));
    }

    // pickle.dumps((parent, tuple(tokens), None), protocol=5), as CPython's C pickler writes it:
    // PROTO 5, FRAME <u64 length>, SHORT_BINBYTES parent MEMOIZE, [MARK] ints (TUPLE|TUPLE1..3) MEMOIZE, NONE, TUPLE3 MEMOIZE, STOP.
    private static int PickleBlock(ReadOnlySpan<byte> parent, ReadOnlySpan<int> tokens, Span<byte> output)
    {
        output[0] = 0x80; // PROTO
        output[1] = 5;
        output[2] = 0x95; // FRAME, length patched below
        var p = 11;
        output[p++] = (byte)'C'; // SHORT_BINBYTES
        output[p++] = (byte)parent.Length;
        parent.CopyTo(output[p..]);
        p += parent.Length;
        output[p++] = 0x94; // MEMOIZE
        if (tokens.IsEmpty)
        {
            output[p++] = (byte)')'; // EMPTY_TUPLE (not memoized)
        }
        else
        {
            if (tokens.Length > 3)
                output[p++] = (byte)'('; // MARK
            foreach (var token in tokens)
            {
                if (token is >= 0 and <= 0xFF)
                {
                    output[p++] = (byte)'K'; // BININT1
                    output[p++] = (byte)token;
                }
                else if (token is >= 0 and <= 0xFFFF)
                {
                    output[p++] = (byte)'M'; // BININT2
                    BinaryPrimitives.WriteUInt16LittleEndian(output[p..], (ushort)token);
                    p += 2;
                }
                else
                {
                    output[p++] = (byte)'J'; // BININT (signed 32-bit)
                    BinaryPrimitives.WriteInt32LittleEndian(output[p..], token);
                    p += 4;
                }
            }

            output[p++] = tokens.Length switch { 1 => 0x85, 2 => 0x86, 3 => 0x87, _ => (byte)'t' }; // TUPLE1..3 / TUPLE
            output[p++] = 0x94;
        }

        output[p++] = (byte)'N'; // NONE
        output[p++] = 0x87; // TUPLE3
        output[p++] = 0x94;
        output[p++] = (byte)'.'; // STOP
        BinaryPrimitives.WriteUInt64LittleEndian(output[3..], (ulong)(p - 11));
        return p;
    }

    // pickle.dumps(seed, protocol=5): PROTO 5, FRAME, SHORT_BINUNICODE|BINUNICODE text, MEMOIZE, STOP.
    private static int PickleString(ReadOnlySpan<byte> utf8, Span<byte> output)
    {
        output[0] = 0x80;
        output[1] = 5;
        output[2] = 0x95;
        var p = 11;
        if (utf8.Length < 256)
        {
            output[p++] = 0x8C; // SHORT_BINUNICODE
            output[p++] = (byte)utf8.Length;
        }
        else
        {
            output[p++] = (byte)'X'; // BINUNICODE
            BinaryPrimitives.WriteUInt32LittleEndian(output[p..], (uint)utf8.Length);
            p += 4;
        }

        utf8.CopyTo(output[p..]);
        p += utf8.Length;
        output[p++] = 0x94;
        output[p++] = (byte)'.';
        BinaryPrimitives.WriteUInt64LittleEndian(output[3..], (ulong)(p - 11));
        return p;
    }

    // cbor2.dumps((parent, tuple(tokens), None), canonical=True): array(3), bytes(32), array(n) of ints, null.
    private static int CborBlock(ReadOnlySpan<byte> parent, ReadOnlySpan<int> tokens, Span<byte> output)
    {
        var p = CborHead(4, 3, output);
        p += CborHead(2, (ulong)parent.Length, output[p..]);
        parent.CopyTo(output[p..]);
        p += parent.Length;
        p += CborHead(4, (ulong)tokens.Length, output[p..]);
        foreach (var token in tokens)
            p += token >= 0 ? CborHead(0, (ulong)token, output[p..]) : CborHead(1, (ulong)(-1L - token), output[p..]);
        output[p++] = 0xF6; // null
        return p;
    }

    // A CBOR head in its shortest form (canonical): major type and argument.
    private static int CborHead(int major, ulong value, Span<byte> output)
    {
        var m = (byte)(major << 5);
        if (value < 24)
        {
            output[0] = (byte)(m | (int)value);
            return 1;
        }

        if (value <= byte.MaxValue)
        {
            output[0] = (byte)(m | 24);
            output[1] = (byte)value;
            return 2;
        }

        if (value <= ushort.MaxValue)
        {
            output[0] = (byte)(m | 25);
            BinaryPrimitives.WriteUInt16BigEndian(output[1..], (ushort)value);
            return 3;
        }

        if (value <= uint.MaxValue)
        {
            output[0] = (byte)(m | 26);
            BinaryPrimitives.WriteUInt32BigEndian(output[1..], (uint)value);
            return 5;
        }

        output[0] = (byte)(m | 27);
        BinaryPrimitives.WriteUInt64BigEndian(output[1..], value);
        return 9;
    }
}
