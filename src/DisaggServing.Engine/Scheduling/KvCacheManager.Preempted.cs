namespace DisaggServing.Engine.Scheduling;

// A preempted request's own blocks. vLLM hashes every full block whatever the prompt (prefix caching is on by default
// in V1), and preemption frees a request's blocks as a finish does: tail first to the back of the free queue, still
// findable by hash. Admitted again, the request finds its prefix there and recomputes only the blocks that allocations
// evicted since (from its tail). Requests whose prompts share nothing carry no hashes here, so the pool remembers
// those blocks itself: by id in a pool that tracks ids, by queue position in one that only counts (RetainedBlockLedger).
// Without it every preemption recomputed the whole prompt: with 32K-token prompts over a KV cache of a few of them, the
// newest is preempted each time the decodes need a block, and each recompute cost a whole prefill where vLLM loses a
// block or two.
public sealed partial class KvCacheManager
{
    // Tracking pool: block id → the table whose preempted request left it in the free queue, and that request's leading blocks.
    private Dictionary<int, KvBlockTable>? _retainedBy;
    private Dictionary<KvBlockTable, int[]>? _retainedIds;

    /// <summary>
    /// Frees <paramref name="table"/> as <see cref="Free"/> does, for a preempted request without block hashes whose
    /// first <paramref name="computedBlocks"/> blocks are computed: with prefix caching, they stay the request's to take
    /// back (<see cref="TryReclaimSlots"/>) until allocations evict them.
    /// </summary>
    internal void FreePreempted(KvBlockTable table, int computedBlocks)
    {
        ArgumentNullException.ThrowIfNull(table);
        // Free queues a table's state blocks ahead of its token blocks: those start that many places further back.
        var (freeBefore, count) = (FreeBlocks + table.StateBlocks, table.Count);
        var keep = Math.Min(computedBlocks, count);
        if (_tracksIds && PrefixCachingEnabled && keep > 0)
        {
            ForgetRetained(table);
            var ids = table.AsSpan()[..keep].ToArray();
            Free(table);
            (_retainedBy ??= []).EnsureCapacity(_retainedBy.Count + keep);
            foreach (var id in ids)
                if (_refCount[id] == 0) _retainedBy[id] = table;
            (_retainedIds ??= [])[table] = ids;
            return;
        }
        Free(table);
        _retained?.Retain(table, count, keep, freeBefore);
    }

    /// <summary>Leading blocks of a preempted request (<paramref name="table"/>, now empty) still waiting in the free queue.</summary>
    internal int RetainedBlocks(KvBlockTable table)
    {
        if (_retained is not null) return _retained.Remaining(table);
        if (_retainedIds is null || !_retainedIds.TryGetValue(table, out var ids)) return 0;
        var n = 0;
        while (n < ids.Length && _retainedBy!.TryGetValue(ids[n], out var owner) && ReferenceEquals(owner, table)) n++;
        return n;
    }

    /// <summary>
    /// Gives the empty <paramref name="table"/> of a preempted request its first <paramref name="reclaim"/> blocks back
    /// from the free queue (hits; at most <see cref="RetainedBlocks"/>) and new blocks up to <paramref name="numTokens"/>
    /// tokens. All or nothing, as <see cref="TryAllocateSlots"/>.
    /// </summary>
    internal bool TryReclaimSlots(KvBlockTable table, int reclaim, int numTokens)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (table.Count != 0 || reclaim < 1 || reclaim > RetainedBlocks(table) || numTokens <= reclaim * BlockSize)
            throw new InvalidOperationException("Only a preempted request's empty table takes back its retained blocks, and computes at least one token more.");
        var needed = CeilDiv(numTokens);
        var state = StateToTake(table);
        if (needed + state > FreeBlocks)
            return false;
        if (_retained is not null)
        {
            _retained.Reclaim(table, reclaim);
            FreeBlocks -= needed + state;
            table.AddCounted(needed);
            table.AddCountedState(state);
            _retained.Pop(needed - reclaim + state);
            return true;
        }
        var ids = _retainedIds![table];
        ForgetRetained(table);
        for (var i = 0; i < reclaim; i++)
        {
            Touch(ids[i]);
            table.Add(ids[i]);
        }
        while (table.Count < needed)
            table.Add(PopFree());
        // After the retained blocks are back: a state block taken first could evict one of them.
        for (var i = 0; i < state; i++)
            table.AddState(PopFree());
        return true;
    }

    // Drops the record of table's blocks (they stay queued, found by nobody).
    private void ForgetRetained(KvBlockTable table)
    {
        if (_retainedIds is null || !_retainedIds.Remove(table, out var ids)) return;
        foreach (var id in ids)
            if (_retainedBy!.TryGetValue(id, out var owner) && ReferenceEquals(owner, table))
                _retainedBy.Remove(id);
    }
}
