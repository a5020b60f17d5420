using DisaggServing.Engine.Scheduling;

namespace DisaggServing.Engine.Simulation;

/// <summary>
/// The simulated KV-transfer service's block index: which engine holds which block, kept by the engines' own KV events
/// (BlockStored, BlockRemoved, AllBlocksCleared), and asked, as the router asks KvIndex.FindLongestPrefix, how many
/// leading blocks of a prompt each engine holds (up to its first missing block).
/// </summary>
internal sealed class SimKvIndex
{
    private readonly List<(string Id, HashSet<ulong> Blocks)> _engines = [];
    private readonly Dictionary<string, int> _matches = new(StringComparer.Ordinal);

    /// <summary>The event sink of the engine <paramref name="engineId"/>: its events keep that engine's blocks here.</summary>
    public IKvEventSink Sink(string engineId)
    {
        var blocks = new HashSet<ulong>();
        _engines.Add((engineId, blocks));
        return new EngineSink(blocks);
    }

    /// <summary>
    /// Leading blocks of <paramref name="blockHashes"/> held per engine, for engines holding at least the first. The
    /// dictionary is reused by the next lookup.
    /// </summary>
    public IReadOnlyDictionary<string, int> FindLongestPrefix(ulong[] blockHashes)
    {
        _matches.Clear();
        if (blockHashes.Length == 0) return _matches;
        foreach (var (id, blocks) in _engines)
        {
            var matched = 0;
            while (matched < blockHashes.Length && blocks.Contains(blockHashes[matched])) matched++;
            if (matched > 0) _matches[id] = matched;
        }
        return _matches;
    }

    private sealed class EngineSink(HashSet<ulong> blocks) : IKvEventSink
    {
        public void BlockStored(ReadOnlySpan<ulong> blockHashes, ulong? parentBlockHash, int blockSize)
        {
            foreach (var hash in blockHashes) blocks.Add(hash);
        }

        public void BlockRemoved(ReadOnlySpan<ulong> blockHashes)
        {
            foreach (var hash in blockHashes) blocks.Remove(hash);
        }

        public void AllBlocksCleared() => blocks.Clear();
    }
}
