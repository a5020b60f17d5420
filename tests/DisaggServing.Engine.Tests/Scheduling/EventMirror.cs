using DisaggServing.Engine.Scheduling;

namespace DisaggServing.Engine.Tests.Scheduling;

/// <summary>
/// Rebuilds the set of cached hashes from KV events alone, as a KV index would; throws on an event that a
/// consistent stream could not contain.
/// </summary>
public sealed class EventMirror : IKvEventSink
{
    public HashSet<ulong> Hashes { get; } = [];

    public void BlockStored(ReadOnlySpan<ulong> blockHashes, ulong? parentBlockHash, int blockSize)
    {
        // The parent may be gone: a block computed twice at once is cached under one copy, which can be evicted
        // while the other copy's request goes on to store its next block. Lookups miss there, engine and index alike.
        foreach (var hash in blockHashes)
            if (!Hashes.Add(hash))
                throw new InvalidOperationException("BlockStored twice without BlockRemoved");
    }

    public void BlockRemoved(ReadOnlySpan<ulong> blockHashes)
    {
        foreach (var hash in blockHashes)
            if (!Hashes.Remove(hash))
                throw new InvalidOperationException("BlockRemoved of a hash never stored");
    }

    public void AllBlocksCleared() => Hashes.Clear();
}
