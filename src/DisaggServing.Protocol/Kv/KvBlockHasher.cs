namespace DisaggServing.Protocol.Kv;

/// <summary>
/// The one KV block hash shared by engines (KV events), the KV index and the router (prefix lookups): vLLM's own
/// prefix-cache hash, <see cref="KvBlockHashScheme.Default"/> (<c>sha256</c> over pickle, seed "0"), keyed by the low
/// 64 bits of each block's chained digest. See <see cref="KvBlockHashScheme"/> for the algorithm and other schemes.
/// </summary>
public static class KvBlockHasher
{
    /// <summary>Default tokens per KV block (vLLM's default block size).</summary>
    public const int DefaultBlockSize = 16;

    /// <summary>Index keys of every full block of <paramref name="tokens"/> under the default scheme; a trailing partial block is not hashed.</summary>
    public static ulong[] HashPrompt(ReadOnlySpan<int> tokens, int blockSize = DefaultBlockSize) =>
        KvBlockHashScheme.Default.HashPrompt(tokens, blockSize);
}
