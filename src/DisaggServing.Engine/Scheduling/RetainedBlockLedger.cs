namespace DisaggServing.Engine.Scheduling;

/// <summary>
/// Where preempted requests' own computed blocks sit in a counting pool's free queue, measured in blocks popped off its
/// head, so that the requests take back what allocations have not evicted since (see KvCacheManager.Preempted.cs): a
/// counting pool has no ids to look them up by.
/// </summary>
internal sealed class RetainedBlockLedger
{
    // Each record: the table it belongs to, the queue position of its first-evicted block (in blocks popped off the
    // free queue's head since the pool was made) and how many of the request's leading blocks it keeps there.
    private readonly List<(KvBlockTable Table, long Start, int Blocks)> _records = [];

    /// <summary>Blocks popped off the free queue's head so far (new allocations, not reclaims).</summary>
    public long Popped { get; private set; }

    /// <summary>
    /// Notes that <paramref name="table"/>'s <paramref name="count"/> blocks were just freed behind
    /// <paramref name="freeBefore"/> free blocks, tail first, the first <paramref name="keep"/> of them computed and full.
    /// </summary>
    public void Retain(KvBlockTable table, int count, int keep, int freeBefore)
    {
        Forget(table);
        if (keep <= 0) return;
        // Freed tail first, the request's block keep - 1 is the first of its prefix to reach the head, block 0 the last.
        _records.Add((table, Popped + freeBefore + count - keep, keep));
    }

    /// <summary>Leading blocks of <paramref name="table"/>'s request still in the free queue.</summary>
    public int Remaining(KvBlockTable table)
    {
        foreach (var r in _records)
            if (ReferenceEquals(r.Table, table))
                return Left(r.Start, r.Blocks);
        return 0;
    }

    /// <summary>Counts <paramref name="blocks"/> taken off the free queue's head: the records they reach lose blocks from their tail.</summary>
    public void Pop(int blocks)
    {
        if (blocks <= 0) return;
        Popped += blocks;
        // Every allocation comes here: no closure, and nothing to scan in the usual case of no preempted request.
        for (var i = _records.Count - 1; i >= 0; i--)
            if (Left(_records[i].Start, _records[i].Blocks) == 0)
                _records.RemoveAt(i);
    }

    /// <summary>
    /// Takes <paramref name="table"/>'s first <paramref name="blocks"/> blocks out of the free queue (they hit); blocks
    /// queued behind them move up. The rest of its record stays queued as plain free blocks.
    /// </summary>
    public void Reclaim(KvBlockTable table, int blocks)
    {
        var i = _records.FindIndex(r => ReferenceEquals(r.Table, table));
        if (i < 0) return;
        var (_, start, count) = _records[i];
        _records.RemoveAt(i);
        // The leading blocks are the last of the record's range.
        var from = start + count - blocks;
        for (var j = 0; j < _records.Count; j++)
            if (_records[j].Start >= from)
                _records[j] = _records[j] with { Start = _records[j].Start - blocks };
    }

    /// <summary>Drops <paramref name="table"/>'s record (its blocks stay queued, found by nobody).</summary>
    public void Forget(KvBlockTable table) => _records.RemoveAll(r => ReferenceEquals(r.Table, table));

    /// <summary>Forgets every record (the prefix cache was reset).</summary>
    public void Clear() => _records.Clear();

    private int Left(long start, int blocks) => (int)Math.Clamp(start + blocks - Math.Max(Popped, start), 0, blocks);
}
