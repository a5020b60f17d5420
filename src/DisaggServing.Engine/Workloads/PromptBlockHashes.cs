namespace DisaggServing.Engine.Workloads;

/// <summary>
/// Chained hashes of a simulated prompt's full KV blocks, standing in for vLLM's hash of (parent hash, block tokens):
/// blocks wholly inside a request's shared prefix hash alike for every request with that prefix, every later block is
/// the request's own. Prompts that share nothing get no hashes (their blocks could never hit).
/// </summary>
public static class PromptBlockHashes
{
    private static readonly ulong[] None = [];

    /// <summary>The hashes of request <paramref name="index"/>'s prompt in blocks of <paramref name="blockSize"/> tokens (empty without a shared prefix).</summary>
    public static ulong[] Of(in WorkloadRequest request, int index, int blockSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSize, 1);
        if (request.SharedPrefix <= 0) return None;
        var blocks = request.InputTokens / blockSize;
        if (blocks == 0) return None;
        var hashes = new ulong[blocks];
        var parent = 0UL;
        for (var j = 0; j < blocks; j++)
        {
            var shared = (long)(j + 1) * blockSize <= request.SharedPrefixTokens;
            // Block content: the prefix's j-th block, or this request's j-th block.
            var content = shared ? Mix(0x5052454649580000UL ^ (ulong)request.SharedPrefix) : Mix(0x5355464649580000UL ^ (ulong)(uint)index);
            parent = hashes[j] = Mix(parent ^ Mix(content + (ulong)j));
        }
        return hashes;
    }

    // SplitMix64's finalizer: a cheap bijective mix with full avalanche.
    private static ulong Mix(ulong x)
    {
        x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9UL;
        x = (x ^ (x >> 27)) * 0x94d049bb133111ebUL;
        return x ^ (x >> 31);
    }
}
