namespace DisaggServing.Scheduling;

/// <summary>
/// Which block hashes the router sent to which engine, recently: an estimate of each engine's prefix cache for engines
/// that publish no KV events. Per engine an LRU of block hashes, bounded in size, each entry trusted for a TTL after it
/// was last routed (vLLM keeps a prefix until memory pressure evicts it; the TTL stands in for that unknown).
/// </summary>
/// <remarks>Thread-safe: one lock per engine; lookups walk each engine's set once per matched block.</remarks>
public sealed class RoutingHistoryIndex(int blocksPerEngine, TimeSpan ttl, TimeProvider time)
{
    private readonly Dictionary<string, EngineHistory> _engines = new(StringComparer.Ordinal);
    private readonly Lock _enginesGate = new();

    /// <summary>Engines with a history.</summary>
    public int EngineCount
    {
        get
        {
            lock (_enginesGate)
                return _engines.Count;
        }
    }

    /// <summary>Remembers that <paramref name="blockHashes"/> were routed to the engine keyed <paramref name="engineKey"/>.</summary>
    public void Record(string engineKey, ulong[] blockHashes)
    {
        ArgumentException.ThrowIfNullOrEmpty(engineKey);
        if (blockHashes.Length == 0)
            return;
        EngineHistory? history;
        lock (_enginesGate)
        {
            if (!_engines.TryGetValue(engineKey, out history))
                _engines.Add(engineKey, history = new EngineHistory(blocksPerEngine));
        }

        history.Record(blockHashes, time.GetTimestamp());
    }

    /// <summary>Leading blocks of <paramref name="blockHashes"/> each engine was recently sent, for engines with at least one.</summary>
    public Dictionary<string, int> FindLongestPrefix(ulong[] blockHashes)
    {
        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        if (blockHashes.Length == 0)
            return result;
        KeyValuePair<string, EngineHistory>[] engines;
        lock (_enginesGate)
            engines = [.. _engines];
        var now = time.GetTimestamp();
        foreach (var (key, history) in engines)
        {
            var matched = history.Match(blockHashes, now, time, ttl);
            if (matched > 0)
                result[key] = matched;
        }

        return result;
    }

    private sealed class EngineHistory(int capacity)
    {
        private readonly Dictionary<ulong, LinkedListNode<(ulong Hash, long Stamp)>> _nodes = [];
        private readonly LinkedList<(ulong Hash, long Stamp)> _lru = new();

        public void Record(ulong[] hashes, long stamp)
        {
            lock (_lru)
            {
                foreach (var hash in hashes)
                {
                    if (_nodes.TryGetValue(hash, out var node))
                    {
                        _lru.Remove(node);
                        node.Value = (hash, stamp);
                        _lru.AddFirst(node);
                        continue;
                    }

                    if (_nodes.Count >= capacity && _lru.Last is { } oldest)
                    {
                        _lru.RemoveLast();
                        _nodes.Remove(oldest.Value.Hash);
                    }

                    _nodes.Add(hash, _lru.AddFirst((hash, stamp)));
                }
            }
        }

        public int Match(ulong[] hashes, long now, TimeProvider time, TimeSpan ttl)
        {
            lock (_lru)
            {
                var matched = 0;
                foreach (var hash in hashes)
                {
                    if (!_nodes.TryGetValue(hash, out var node) || time.GetElapsedTime(node.Value.Stamp, now) > ttl)
                        break;
                    matched++;
                }

                return matched;
            }
        }
    }
}
