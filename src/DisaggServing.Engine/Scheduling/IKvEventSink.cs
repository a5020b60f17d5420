namespace DisaggServing.Engine.Scheduling;

/// <summary>
/// Receives the KV cache events vLLM publishes (BlockStored, BlockRemoved, AllBlocksCleared), synchronously
/// as they happen. Spans are only valid during the call: copy what you keep.
/// </summary>
public interface IKvEventSink
{
    /// <summary>
    /// Consecutive full blocks of one request entered the prefix cache. <paramref name="parentBlockHash"/> is
    /// the hash of the block before the first one, or null when the first is the prompt's first block.
    /// </summary>
    void BlockStored(ReadOnlySpan<ulong> blockHashes, ulong? parentBlockHash, int blockSize);

    /// <summary>Cached blocks were evicted (reallocated for other tokens).</summary>
    void BlockRemoved(ReadOnlySpan<ulong> blockHashes);

    /// <summary>The whole prefix cache was dropped.</summary>
    void AllBlocksCleared();
}
