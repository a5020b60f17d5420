using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace DisaggServing.Protocol.Kv;

/// <summary>
/// The one KV block hash shared by engines (KV events), the KV index and the router (prefix lookups).
/// Like vLLM's prefix cache, a block's hash chains its parent's hash with the block's token ids, so equal
/// hashes mean equal whole prefixes; only full blocks are hashed.
/// </summary>
public static class KvBlockHasher
{
    /// <summary>Parent hash of the first block (vLLM's NONE_HASH plays this role).</summary>
    public const ulong RootHash = 0x9E3779B97F4A7C15UL;

    /// <summary>Default tokens per KV block (vLLM's default block size).</summary>
    public const int DefaultBlockSize = 16;

    /// <summary>Hash of one block of <paramref name="tokens"/> following a block whose hash is <paramref name="parent"/>.</summary>
    public static ulong HashBlock(ulong parent, ReadOnlySpan<int> tokens)
    {
        return XxHash64.HashToUInt64(MemoryMarshal.AsBytes(tokens), unchecked((long)parent));
    }

    /// <summary>Chained hashes of every full block of <paramref name="tokens"/>; a trailing partial block is not hashed.</summary>
    public static ulong[] HashPrompt(ReadOnlySpan<int> tokens, int blockSize = DefaultBlockSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSize, 1);
        var hashes = new ulong[tokens.Length / blockSize];
        var parent = RootHash;
        for (var i = 0; i < hashes.Length; i++)
        {
            parent = HashBlock(parent, tokens.Slice(i * blockSize, blockSize));
            hashes[i] = parent;
        }
        return hashes;
    }
}
