using System.Numerics;
using System.Runtime.InteropServices;
using DisaggServing.KvTransfer.Registry;

namespace DisaggServing.KvTransfer.Index;

/// <summary>
/// Which engines hold which KV blocks, fed by the engines' KV events and asked for the longest cached prefix of a
/// prompt's chained block hashes, per engine.
/// </summary>
/// <remarks>
/// <para>Layout: block hash → bitset of engine ordinals, in a <see cref="BlockTable"/> (open addressing, bits inline in
/// the slot, so a probe is one cache line). Engines are interned to ordinals in an immutable <see cref="EngineTable"/>
/// swapped on membership changes.</para>
/// <para>Writes (events, membership) are serialized by one lock; lookups take no lock and allocate nothing beyond
/// what the caller's result list needs. A lookup racing a write sees each block either before or after it (the
/// index is a routing hint, not a cache of record).</para>
/// <para>Lookup: the walk ANDs the bitsets of successive blocks into an "alive" set; an engine's match is the position
/// where its bit first drops out, and the walk stops when no engine is left — one probe per matched block, and with
/// up to 64 engines the set is one machine word. Hashes are chained, so an engine holding block i normally holds
/// 0..i-1 too (engines evict leaves first); when it does not, its match still ends at its first miss.</para>
/// </remarks>
public sealed class KvBlockIndex : IEngineMembershipListener
{
    private const int MaxStackWords = 64;

    private readonly Lock _writeGate = new();
    private readonly BlockTable _blocks = new();
    private readonly Dictionary<string, EngineKvState> _engines = new(StringComparer.Ordinal);
    private EngineTable _table = EngineTable.Empty;
    private string[] _eventFed = [];
    private long _indexedBlocks;

    /// <summary>Engines the index accepts events from.</summary>
    public int EngineCount => Volatile.Read(ref _table).Ordinals.Count;

    /// <summary>(engine, block) pairs held: the sum over engines of their indexed blocks.</summary>
    public long IndexedBlocks => Volatile.Read(ref _indexedBlocks);

    /// <summary>Distinct block hashes held by at least one engine.</summary>
    public long DistinctBlocks => _blocks.LiveCount;

    /// <summary>
    /// Engines that have had at least one batch of KV events applied since they joined, ordered by id: their blocks
    /// are known. An engine that joined but never published (e.g. a vLLM engine without KV events) is not listed.
    /// </summary>
    public IReadOnlyList<string> EventFedEngines => Volatile.Read(ref _eventFed);

    /// <summary>Starts accepting events from <paramref name="engineId"/>; an engine already known starts over, empty.</summary>
    public void AddEngine(string engineId)
    {
        ArgumentException.ThrowIfNullOrEmpty(engineId);
        lock (_writeGate)
        {
            if (_engines.TryGetValue(engineId, out var state))
            {
                ClearLocked(state);
                state.NextSequence = null;
                return;
            }

            var table = _table;
            state = new EngineKvState(engineId, table.FreeOrdinal());
            _engines.Add(engineId, state);
            Volatile.Write(ref _table, table.With(state.Ordinal, engineId));
        }
    }

    /// <summary>Forgets <paramref name="engineId"/> and every block it held.</summary>
    /// <returns>False when the engine was not known.</returns>
    public bool RemoveEngine(string engineId)
    {
        ArgumentNullException.ThrowIfNull(engineId);
        lock (_writeGate)
        {
            if (!_engines.Remove(engineId, out var state))
                return false;
            ClearLocked(state);
            Volatile.Write(ref _table, _table.Without(state.Ordinal));
            if (state.EventFed)
                RefreshEventFedLocked();
            return true;
        }
    }

    /// <inheritdoc />
    void IEngineMembershipListener.EngineRegistered(string engineId) => AddEngine(engineId);

    /// <inheritdoc />
    void IEngineMembershipListener.EngineRemoved(string engineId, EngineRemovalReason reason) => RemoveEngine(engineId);

    /// <summary>
    /// Applies one batch of <paramref name="engineId"/>'s events. The first batch after the engine joins (or after a
    /// resync) starts its sequence; each later batch must carry the previous sequence + 1, or the engine's blocks are
    /// cleared and <see cref="PublishOutcome.ResyncRequired"/> is returned.
    /// </summary>
    public PublishOutcome Publish(string engineId, ulong sequence, ReadOnlySpan<KvBlockEvent> events)
    {
        ArgumentNullException.ThrowIfNull(engineId);
        lock (_writeGate)
        {
            if (!_engines.TryGetValue(engineId, out var state))
                return PublishOutcome.UnknownEngine;
            if (state.NextSequence is { } expected && sequence != expected)
            {
                ClearLocked(state);
                state.NextSequence = null;
                return PublishOutcome.ResyncRequired;
            }

            state.NextSequence = unchecked(sequence + 1);
            if (!state.EventFed)
            {
                state.EventFed = true;
                RefreshEventFedLocked();
            }

            foreach (var e in events)
            {
                switch (e.Kind)
                {
                    case KvBlockEventKind.Stored:
                        foreach (var hash in e.Hashes.Span)
                            StoreLocked(state, hash);
                        break;
                    case KvBlockEventKind.Removed:
                        foreach (var hash in e.Hashes.Span)
                            RemoveLocked(state, hash);
                        break;
                    case KvBlockEventKind.Cleared:
                        ClearLocked(state);
                        break;
                    default:
                        throw new ArgumentOutOfRangeException(nameof(events), e.Kind, "Unknown KV event kind.");
                }
            }

            return PublishOutcome.Applied;
        }
    }

    /// <summary>Blocks indexed for <paramref name="engineId"/>, or null when the engine is not known.</summary>
    public int? BlockCount(string engineId)
    {
        ArgumentNullException.ThrowIfNull(engineId);
        lock (_writeGate)
            return _engines.TryGetValue(engineId, out var state) ? state.Blocks.Count : null;
    }

    /// <summary>
    /// For each engine holding at least the first of <paramref name="hashes"/>, how many leading hashes it holds,
    /// written to <paramref name="results"/> (cleared first) longest first, ties by engine ordinal.
    /// </summary>
    /// <param name="hashes">A prompt's chained block hashes, in order.</param>
    /// <param name="results">Receives the matches; reuse one list to look up without allocating.</param>
    /// <param name="engineFilter">Only these engines (unknown ids ignored); null or empty = every engine.</param>
    /// <returns>The number of matches.</returns>
    public int FindLongestPrefix(ReadOnlySpan<ulong> hashes, List<PrefixMatch> results, IReadOnlyList<string>? engineFilter = null)
    {
        ArgumentNullException.ThrowIfNull(results);
        results.Clear();
        var table = Volatile.Read(ref _table);
        var blocks = _blocks.Current;
        if (hashes.IsEmpty || table.WordCount == 0 || !blocks.TryGet(hashes[0], out var low, out var high))
            return 0;
        if (table.WordCount == 1)
            WalkOneWord(table, blocks, hashes, low, engineFilter, results);
        else
            WalkWords(table, blocks, hashes, low, high, engineFilter, results);

        // Emitted shortest first; the caller wants the best first.
        CollectionsMarshal.AsSpan(results).Reverse();
        return results.Count;
    }

    // Up to 64 engines: the alive set is one word.
    private static void WalkOneWord(
        EngineTable table, BlockTable.Snapshot blocks, ReadOnlySpan<ulong> hashes, ulong first, IReadOnlyList<string>? engineFilter, List<PrefixMatch> results)
    {
        var alive = first;
        if (engineFilter is { Count: > 0 })
        {
            var mask = 0UL;
            for (var i = 0; i < engineFilter.Count; i++)
            {
                if (table.Ordinals.TryGetValue(engineFilter[i], out var ordinal))
                    mask |= 1UL << ordinal;
            }

            alive &= mask;
        }

        var depth = 1;
        for (; alive != 0 && depth < hashes.Length; depth++)
        {
            if (!blocks.TryGet(hashes[depth], out var low, out _))
                break;
            var after = alive & low;
            if (after != alive)
                Emit(table, 0, alive & ~after, depth, results);
            alive = after;
        }

        if (alive != 0)
            Emit(table, 0, alive, depth, results);
    }

    // More than 64 engines: the alive set spans several words (on the stack up to 4096 engines).
    private static void WalkWords(
        EngineTable table, BlockTable.Snapshot blocks, ReadOnlySpan<ulong> hashes, ulong firstLow, ulong[]? firstHigh,
        IReadOnlyList<string>? engineFilter, List<PrefixMatch> results)
    {
        var words = table.WordCount;
        Span<ulong> alive = words <= MaxStackWords ? stackalloc ulong[words] : new ulong[words];
        var any = false;
        if (engineFilter is { Count: > 0 })
        {
            alive.Clear();
            for (var i = 0; i < engineFilter.Count; i++)
            {
                if (table.Ordinals.TryGetValue(engineFilter[i], out var ordinal))
                    alive[ordinal >> 6] |= 1UL << (ordinal & 63);
            }

            for (var w = 0; w < words; w++)
                any |= (alive[w] &= Word(firstLow, firstHigh, w)) != 0;
        }
        else
        {
            for (var w = 0; w < words; w++)
                any |= (alive[w] = Word(firstLow, firstHigh, w)) != 0;
        }

        var depth = 1;
        for (; any && depth < hashes.Length; depth++)
        {
            if (!blocks.TryGet(hashes[depth], out var low, out var high))
                break;
            any = false;
            for (var w = words - 1; w >= 0; w--)
            {
                var before = alive[w];
                if (before == 0)
                    continue;
                var after = before & Word(low, high, w);
                if (after != before)
                    Emit(table, w, before & ~after, depth, results);
                alive[w] = after;
                any |= after != 0;
            }
        }

        if (any)
        {
            for (var w = words - 1; w >= 0; w--)
            {
                if (alive[w] != 0)
                    Emit(table, w, alive[w], depth, results);
            }
        }
    }

    private static ulong Word(ulong low, ulong[]? high, int w) =>
        w == 0 ? low : high is not null && w - 1 < high.Length ? Volatile.Read(ref high[w - 1]) : 0;

    // Emits highest ordinal first (callers walk words downwards too), so that after the final reversal
    // engines with equal matches come out in ascending ordinal order.
    private static void Emit(EngineTable table, int word, ulong bits, int matched, List<PrefixMatch> results)
    {
        var names = table.Names;
        while (bits != 0)
        {
            var bit = 63 - BitOperations.LeadingZeroCount(bits);
            bits &= ~(1UL << bit);
            var ordinal = (word << 6) + bit;
            if (ordinal < names.Length && names[ordinal] is { } name)
                results.Add(new PrefixMatch(name, matched));
        }
    }

    private void RefreshEventFedLocked()
    {
        var fed = _engines.Values.Where(static e => e.EventFed).Select(static e => e.EngineId).ToArray();
        Array.Sort(fed, StringComparer.Ordinal);
        Volatile.Write(ref _eventFed, fed);
    }

    private void StoreLocked(EngineKvState state, ulong hash)
    {
        if (!state.Blocks.Add(hash))
            return;
        Volatile.Write(ref _indexedBlocks, _indexedBlocks + 1);
        _blocks.Set(hash, state.Ordinal);
    }

    private void RemoveLocked(EngineKvState state, ulong hash)
    {
        if (!state.Blocks.Remove(hash))
            return;
        Volatile.Write(ref _indexedBlocks, _indexedBlocks - 1);
        _blocks.Clear(hash, state.Ordinal);
    }

    private void ClearLocked(EngineKvState state)
    {
        foreach (var hash in state.Blocks)
            _blocks.Clear(hash, state.Ordinal);
        Volatile.Write(ref _indexedBlocks, _indexedBlocks - state.Blocks.Count);
        state.Blocks.Clear();
        if (state.Blocks.Capacity > 4096)
            state.Blocks.TrimExcess();
    }
}
