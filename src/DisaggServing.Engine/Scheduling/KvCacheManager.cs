using System.Diagnostics;

namespace DisaggServing.Engine.Scheduling;

/// <summary>
/// The paged KV cache of one engine, after vLLM V1's <c>BlockPool</c> and <c>KVCacheManager</c>: a pool of
/// ref-counted blocks (ids 0..N-1), a prefix cache from chained block hash to block, and an LRU queue of free
/// blocks in which cached blocks stay findable until they are reallocated (evicted). Not thread-safe.
/// </summary>
public sealed partial class KvCacheManager
{
    private readonly int[] _refCount;
    // Allocated at the first block registered: a simulation without block hashes never needs them.
    private ulong[]? _hash;
    private bool[]? _hashed;
    // Free queue as a doubly linked list over block ids (-1 ends it), so removing a cached block that gets hit is
    // O(1), as in vLLM's FreeKVCacheBlockQueue. Blocks never allocated yet (ids _fresh..N-1) are the queue's head,
    // in id order, without links: a pool of 100k blocks costs nothing to set up (the planner builds thousands of
    // them), and the order is the one a fully linked queue of 0..N-1 would give.
    private readonly int[] _prev;
    private readonly int[] _next;
    private int _head = -1, _tail = -1;
    private int _fresh;
    private readonly Dictionary<ulong, int> _cached;
    private readonly IKvEventSink _events;
    // False: blocks are only counted (no ids, ref counts or free queue); tables count them without ids (block 0).
    private readonly bool _tracksIds;
    // Counting pool with prefix caching: where preempted requests' own blocks wait in the free queue (see KvCacheManager.Preempted.cs).
    private readonly RetainedBlockLedger? _retained;

    /// <summary>Creates a pool of <paramref name="numBlocks"/> free blocks of <paramref name="blockSize"/> tokens.</summary>
    public KvCacheManager(int numBlocks, int blockSize = 16, bool enablePrefixCaching = true, IKvEventSink? events = null)
        : this(numBlocks, blockSize, enablePrefixCaching, events, tracksIds: true)
    {
    }

    /// <summary>
    /// A pool that, without <paramref name="tracksIds"/>, only counts its blocks: for a host whose requests carry no
    /// block hashes and that reads no block ids (the cluster simulator without shared prefixes), where which block a
    /// request gets changes nothing. Every allocation and free then costs a count, not a walk of the free queue over
    /// arrays of the pool's size (nor their set-up: the planner builds thousands of pools).
    /// </summary>
    internal KvCacheManager(int numBlocks, int blockSize, bool enablePrefixCaching, IKvEventSink? events, bool tracksIds)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(numBlocks, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSize, 1);
        TotalBlocks = numBlocks;
        BlockSize = blockSize;
        PrefixCachingEnabled = enablePrefixCaching;
        _events = events ?? NullKvEventSink.Instance;
        _tracksIds = tracksIds;
        _refCount = tracksIds ? new int[numBlocks] : [];
        // Links are written before they are read (a block is linked when freed), so they need no clearing.
        _prev = tracksIds ? GC.AllocateUninitializedArray<int>(numBlocks) : [];
        _next = tracksIds ? GC.AllocateUninitializedArray<int>(numBlocks) : [];
        _cached = [];
        FreeBlocks = numBlocks;
        if (!tracksIds && enablePrefixCaching)
            _retained = new RetainedBlockLedger();
    }

    /// <summary>Tokens per block.</summary>
    public int BlockSize { get; }

    /// <summary>
    /// Blocks each request holds for its recurrent state beside its token slots (a hybrid model's linear-attention layers;
    /// 0 otherwise): taken with its first slots and freed with them, out of the same pool, as vLLM's hybrid allocator
    /// gives each request one state page per linear-attention layer beside its attention layers' pages.
    /// </summary>
    public int StateBlocksPerTable { get; init; }

    // State blocks a table still has to take with its next allocation.
    private int StateToTake(KvBlockTable table) => table.StateBlocks == 0 ? StateBlocksPerTable : 0;

    /// <summary>Whether full blocks are registered and looked up by hash.</summary>
    public bool PrefixCachingEnabled { get; }

    /// <summary>Blocks in the pool.</summary>
    public int TotalBlocks { get; }

    /// <summary>Blocks with no holder (cached ones included: they are evicted on reuse).</summary>
    public int FreeBlocks { get; private set; }

    /// <summary>Blocks held by at least one request or lease.</summary>
    public int UsedBlocks => TotalBlocks - FreeBlocks;

    /// <summary>Fraction of blocks in use (vLLM's <c>kv_cache_usage_perc</c>, 0..1).</summary>
    public double Usage => (double)UsedBlocks / TotalBlocks;

    /// <summary>Blocks currently findable by hash, held or free.</summary>
    public int CachedBlocks => _cached.Count;

    /// <summary>Prompt tokens looked up in the prefix cache (vLLM's <c>prefix_cache_queries</c>).</summary>
    public long PrefixCacheQueries { get; private set; }

    /// <summary>Of those, tokens found cached (vLLM's <c>prefix_cache_hits</c>).</summary>
    public long PrefixCacheHits { get; private set; }

    /// <summary>Holders of <paramref name="blockId"/> (requests or leases); 0 when free.</summary>
    public int RefCount(int blockId) => _tracksIds ? _refCount[blockId] : throw new InvalidOperationException("This pool only counts its blocks.");

    /// <summary>The hash under which <paramref name="blockId"/> is cached, if it is.</summary>
    public bool TryGetBlockHash(int blockId, out ulong hash)
    {
        if (_hashed is null)
        {
            hash = 0;
            return (uint)blockId < (uint)TotalBlocks ? false : throw new ArgumentOutOfRangeException(nameof(blockId));
        }
        hash = _hash![blockId];
        return _hashed[blockId];
    }

    /// <summary>The cached block holding <paramref name="blockHash"/>, if any.</summary>
    public bool TryGetCachedBlock(ulong blockHash, out int blockId) => _cached.TryGetValue(blockHash, out blockId);

    /// <summary>
    /// Longest cached prefix: walks <paramref name="blockHashes"/> until the first miss or
    /// <paramref name="maxBlocks"/>, filling <paramref name="hits"/> (cleared first) with the block ids.
    /// Changes nothing: pass the hits to <see cref="TryAllocateSlots"/> to take them.
    /// </summary>
    /// <returns>The number of cached blocks found.</returns>
    public int FindCachedPrefix(ReadOnlySpan<ulong> blockHashes, int maxBlocks, List<int> hits)
    {
        ArgumentNullException.ThrowIfNull(hits);
        hits.Clear();
        if (!PrefixCachingEnabled)
            return 0;
        var n = Math.Min(maxBlocks, blockHashes.Length);
        for (var i = 0; i < n; i++)
        {
            if (!_cached.TryGetValue(blockHashes[i], out var block))
                break;
            hits.Add(block);
        }
        return hits.Count;
    }

    /// <summary>Counts one prefix-cache lookup of <paramref name="queryTokens"/> of which <paramref name="hitTokens"/> hit.</summary>
    public void RecordPrefixQuery(int queryTokens, int hitTokens)
    {
        PrefixCacheQueries += queryTokens;
        PrefixCacheHits += hitTokens;
    }

    /// <summary>
    /// Free blocks that <see cref="TryAllocateSlots"/> would consume to give <paramref name="table"/> slots for
    /// <paramref name="numTokens"/> tokens after appending <paramref name="cachedHits"/>: new blocks, plus hits
    /// that sit in the free queue.
    /// </summary>
    public int BlocksToAllocate(KvBlockTable table, int numTokens, ReadOnlySpan<int> cachedHits)
    {
        ArgumentNullException.ThrowIfNull(table);
        var fresh = Math.Max(0, CeilDiv(numTokens) - table.Count - cachedHits.Length) + StateToTake(table);
        foreach (var block in cachedHits)
            if (_refCount[block] == 0)
                fresh++;
        return fresh;
    }

    /// <summary>
    /// Makes <paramref name="table"/> hold slots for <paramref name="numTokens"/> tokens: first takes the cached
    /// prefix <paramref name="cachedHits"/> (ref count up; off the free queue), then allocates new blocks from
    /// the front of the free queue, evicting cached ones. All or nothing: false, and no change, when too few
    /// blocks are free.
    /// </summary>
    public bool TryAllocateSlots(KvBlockTable table, int numTokens, ReadOnlySpan<int> cachedHits = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        // Hot path (every decode, every step): most calls need nothing.
        if (cachedHits.IsEmpty && numTokens <= table.Count * BlockSize && StateToTake(table) == 0)
            return true;
        var needed = BlocksToAllocate(table, numTokens, cachedHits);
        if (needed > FreeBlocks)
            return false;
        var state = StateToTake(table);
        if (!_tracksIds)
        {
            // No hits without hashes: the blocks needed are all new.
            FreeBlocks -= needed;
            table.AddCounted(needed - state);
            table.AddCountedState(state);
            _retained?.Pop(needed);
            return true;
        }
        foreach (var block in cachedHits)
        {
            Touch(block);
            table.Add(block);
        }
        if (cachedHits.Length > 0)
        {
            Debug.Assert(table.NumCachedBlocks == table.Count - cachedHits.Length, "hits only start a table");
            table.NumCachedBlocks = table.Count;
        }
        var target = CeilDiv(numTokens);
        while (table.Count < target)
            table.Add(PopFree());
        // After the hits are held: a state block taken first could evict one of them.
        for (var i = 0; i < state; i++)
            table.AddState(PopFree());
        return true;
    }

    /// <summary>Takes <paramref name="blocks"/> blocks from a pool that only counts them, for tables that count them later; false, taking none, when too few are free.</summary>
    internal bool TryTakeCounted(int blocks)
    {
        Debug.Assert(!_tracksIds, "only a counting pool hands out blocks by count");
        if (blocks > FreeBlocks)
            return false;
        FreeBlocks -= blocks;
        // Taken off the free queue's head like any allocation: they evict preempted requests' retained blocks.
        _retained?.Pop(blocks);
        return true;
    }

    /// <summary>
    /// Registers the full blocks among the first <paramref name="numComputedTokens"/> tokens of
    /// <paramref name="table"/> under <paramref name="blockHashes"/> (emits BlockStored). A hash that another
    /// block already caches is skipped; that block stays private.
    /// </summary>
    public void CacheFullBlocks(KvBlockTable table, ReadOnlySpan<ulong> blockHashes, int numComputedTokens)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (!PrefixCachingEnabled)
            return;
        var full = Math.Min(Math.Min(numComputedTokens / BlockSize, blockHashes.Length), table.Count);
        if (full > table.NumCachedBlocks && !_tracksIds)
            throw new InvalidOperationException("A pool that only counts its blocks cannot cache them by hash.");
        if (full > table.NumCachedBlocks && _hashed is null)
        {
            _hash = new ulong[TotalBlocks];
            _hashed = new bool[TotalBlocks];
        }
        var runStart = -1;
        for (var i = table.NumCachedBlocks; i < full; i++)
        {
            var block = table[i];
            if (!_hashed![block] && _cached.TryAdd(blockHashes[i], block))
            {
                _hash![block] = blockHashes[i];
                _hashed[block] = true;
                if (runStart < 0)
                    runStart = i;
                continue;
            }
            EmitStored(blockHashes, runStart, i);
            runStart = -1;
        }
        EmitStored(blockHashes, runStart, full);
        if (full > table.NumCachedBlocks)
            table.NumCachedBlocks = full;
    }

    /// <summary>
    /// Drops <paramref name="table"/>'s hold on its blocks, tail first, so that a request's last blocks are
    /// evicted before its prefix (vLLM frees in reverse order). Cached blocks stay findable.
    /// </summary>
    public void Free(KvBlockTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (!_tracksIds)
        {
            FreeBlocks += table.Count + table.StateBlocks;
            table.Clear();
            _retained?.Forget(table);
            return;
        }
        ForgetRetained(table);
        // State blocks first, so the token blocks, which may be cached, are the last to be evicted.
        foreach (var block in table.StateIds)
            Release(block);
        for (var i = table.Count - 1; i >= 0; i--)
            Release(table[i]);
        table.Clear();
    }

    // Drops one hold on a block; the last puts it at the free queue's tail.
    private void Release(int block)
    {
        Debug.Assert(_refCount[block] > 0, "freeing a free block");
        if (--_refCount[block] == 0)
        {
            _prev[block] = _tail;
            _next[block] = -1;
            if (_tail >= 0) _next[_tail] = block;
            else _head = block;
            _tail = block;
            FreeBlocks++;
        }
    }

    /// <summary>
    /// Forgets every cached hash (emits AllBlocksCleared), as vLLM's <c>reset_prefix_cache</c>: only when no
    /// block is in use, else returns false and changes nothing.
    /// </summary>
    public bool ResetPrefixCache()
    {
        if (UsedBlocks > 0)
            return false;
        _cached.Clear();
        _retained?.Clear();
        _retainedBy?.Clear();
        _retainedIds?.Clear();
        if (_hashed is not null)
            Array.Clear(_hashed);
        _events.AllBlocksCleared();
        return true;
    }

    private int CeilDiv(int tokens) => (tokens + BlockSize - 1) / BlockSize;

    private void Touch(int block)
    {
        if (_refCount[block]++ == 0)
        {
            Debug.Assert(block < _fresh, "only a block allocated before can be cached");
            Unlink(block);
            FreeBlocks--;
        }
    }

    private int PopFree()
    {
        int block;
        if (_fresh < TotalBlocks)
        {
            block = _fresh++;
            FreeBlocks--;
            _refCount[block] = 1;
            return block; // never allocated: never hashed
        }
        block = _head;
        Debug.Assert(block >= 0, "free queue empty");
        Unlink(block);
        FreeBlocks--;
        _refCount[block] = 1;
        _retainedBy?.Remove(block);
        if (_hashed is not null && _hashed[block])
        {
            _hashed[block] = false;
            _cached.Remove(_hash![block]);
            _events.BlockRemoved(new ReadOnlySpan<ulong>(in _hash[block]));
        }
        return block;
    }

    private void Unlink(int block)
    {
        var p = _prev[block];
        var n = _next[block];
        if (p >= 0) _next[p] = n;
        else _head = n;
        if (n >= 0) _prev[n] = p;
        else _tail = p;
    }

    private void EmitStored(ReadOnlySpan<ulong> blockHashes, int start, int end)
    {
        if (start < 0 || end <= start)
            return;
        ulong? parent = start == 0 ? null : blockHashes[start - 1];
        _events.BlockStored(blockHashes[start..end], parent, BlockSize);
    }
}
