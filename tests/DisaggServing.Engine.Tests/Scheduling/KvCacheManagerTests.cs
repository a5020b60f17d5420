using DisaggServing.Engine.Scheduling;
using DisaggServing.Protocol.Kv;

namespace DisaggServing.Engine.Tests.Scheduling;

public class KvCacheManagerTests
{
    private const int Bs = 4;

    private static ulong[] Hashes(int blocks, int seed) =>
        KvBlockHasher.HashPrompt(TestRequests.Prompt(blocks * Bs, seed), Bs);

    /// <summary>Allocates and computes a table covering every block of <paramref name="hashes"/>, registering them.</summary>
    private static KvBlockTable Computed(KvCacheManager cache, ulong[] hashes, List<int>? hits = null)
    {
        var table = new KvBlockTable();
        Assert.True(cache.TryAllocateSlots(table, hashes.Length * Bs, hits is null ? default : hits.ToArray()));
        cache.CacheFullBlocks(table, hashes, hashes.Length * Bs);
        return table;
    }

    [Fact]
    public void Allocates_ceil_of_tokens_and_free_plus_used_is_total()
    {
        var cache = new KvCacheManager(10, Bs);
        var table = new KvBlockTable();
        Assert.True(cache.TryAllocateSlots(table, 9));
        Assert.Equal(3, table.Count);
        Assert.Equal(7, cache.FreeBlocks);
        Assert.Equal(3, cache.UsedBlocks);
        Assert.Equal(0.3, cache.Usage, 6);
        Assert.True(cache.TryAllocateSlots(table, 12)); // fits in the third block
        Assert.Equal(3, table.Count);
        cache.Free(table);
        Assert.Equal(0, table.Count);
        Assert.Equal(10, cache.FreeBlocks);
    }

    [Fact]
    public void Allocation_is_all_or_nothing()
    {
        var cache = new KvCacheManager(3, Bs);
        var table = new KvBlockTable();
        Assert.True(cache.TryAllocateSlots(table, 4));
        Assert.False(cache.TryAllocateSlots(table, 4 * Bs));
        Assert.Equal(1, table.Count);
        Assert.Equal(2, cache.FreeBlocks);
    }

    [Fact]
    public void Registered_blocks_are_found_by_longest_prefix_until_first_miss()
    {
        var cache = new KvCacheManager(16, Bs);
        var a = Hashes(3, seed: 1);
        var table = Computed(cache, a);
        var hits = new List<int>();

        Assert.Equal(3, cache.FindCachedPrefix(a, 10, hits));
        Assert.Equal(table.ToArray(), hits);
        Assert.Equal(2, cache.FindCachedPrefix(a, 2, hits));

        // Same first two blocks, different third: the walk stops at the miss.
        var tokens = TestRequests.Prompt(3 * Bs, 1);
        tokens[^1] = -1;
        var b = KvBlockHasher.HashPrompt(tokens, Bs);
        Assert.Equal(2, cache.FindCachedPrefix(b, 10, hits));
        Assert.Equal(0, cache.FindCachedPrefix(Hashes(3, seed: 2), 10, hits));
    }

    [Fact]
    public void Only_computed_full_blocks_are_registered()
    {
        var cache = new KvCacheManager(16, Bs);
        var hashes = Hashes(3, seed: 1);
        var table = new KvBlockTable();
        Assert.True(cache.TryAllocateSlots(table, 3 * Bs));
        cache.CacheFullBlocks(table, hashes, Bs + 3);
        Assert.Equal(1, table.NumCachedBlocks);
        Assert.Equal(1, cache.CachedBlocks);
        Assert.True(cache.TryGetBlockHash(table[0], out var h) && h == hashes[0]);
        Assert.False(cache.TryGetBlockHash(table[1], out _));
    }

    [Fact]
    public void Hits_share_blocks_with_ref_counts_and_free_cached_hits_leave_the_free_queue()
    {
        var cache = new KvCacheManager(8, Bs);
        var hashes = Hashes(2, seed: 1);
        var first = Computed(cache, hashes);
        var hits = new List<int>();
        cache.FindCachedPrefix(hashes, 2, hits);

        var second = new KvBlockTable();
        Assert.True(cache.TryAllocateSlots(second, 3 * Bs, hits.ToArray()));
        Assert.Equal(first[0], second[0]);
        Assert.Equal(first[1], second[1]);
        Assert.Equal(2, cache.RefCount(first[0]));
        Assert.Equal(2, second.NumCachedBlocks);
        Assert.Equal(3, cache.UsedBlocks);

        cache.Free(first);
        Assert.Equal(1, cache.RefCount(second[0]));
        Assert.Equal(3, cache.UsedBlocks);
        cache.Free(second);
        Assert.Equal(0, cache.UsedBlocks);
        Assert.Equal(2, cache.CachedBlocks); // freed but still findable

        // A hit on a free cached block takes it off the free queue.
        var third = new KvBlockTable();
        cache.FindCachedPrefix(hashes, 2, hits);
        Assert.Equal(2, cache.BlocksToAllocate(third, 2 * Bs, hits.ToArray()));
        Assert.True(cache.TryAllocateSlots(third, 2 * Bs, hits.ToArray()));
        Assert.Equal(6, cache.FreeBlocks);
        Assert.Equal(1, cache.RefCount(third[0]));
    }

    [Fact]
    public void Eviction_is_lru_and_a_freed_request_loses_its_tail_first()
    {
        var events = new RecordingKvEventSink();
        var cache = new KvCacheManager(5, Bs, events: events);
        var hashes = Hashes(3, seed: 1);
        var table = Computed(cache, hashes); // blocks 0,1,2
        cache.Free(table);                   // free queue: 3,4 then 2,1,0
        events.Events.Clear();

        var other = new KvBlockTable();
        Assert.True(cache.TryAllocateSlots(other, 2 * Bs)); // uncached 3,4 first
        Assert.Empty(events.Events);
        Assert.True(cache.TryAllocateSlots(other, 3 * Bs)); // evicts the tail block of the freed request
        Assert.Equal(2, other[2]);
        var removed = Assert.Single(events.Events);
        Assert.Equal(RecordedKvEventKind.Removed, removed.Kind);
        Assert.Equal([hashes[2]], removed.Hashes);

        var hits = new List<int>();
        Assert.Equal(2, cache.FindCachedPrefix(hashes, 3, hits)); // prefix survives
        Assert.True(cache.TryAllocateSlots(other, 4 * Bs));
        Assert.Equal(1, other[3]);
        Assert.Equal([hashes[1]], events.Events[^1].Hashes);
    }

    [Fact]
    public void Recently_freed_blocks_are_evicted_last()
    {
        var cache = new KvCacheManager(4, Bs);
        var a = Computed(cache, Hashes(2, seed: 1)); // 0,1
        var b = Computed(cache, Hashes(2, seed: 2)); // 2,3
        cache.Free(a);
        cache.Free(b);
        var table = new KvBlockTable();
        Assert.True(cache.TryAllocateSlots(table, 2 * Bs));
        Assert.Equal([1, 0], table.ToArray()); // a was freed first, so it goes first
        var hits = new List<int>();
        Assert.Equal(2, cache.FindCachedPrefix(Hashes(2, seed: 2), 2, hits));
        Assert.Equal(0, cache.FindCachedPrefix(Hashes(2, seed: 1), 2, hits));
    }

    [Fact]
    public void BlockStored_events_chain_parent_hashes()
    {
        var events = new RecordingKvEventSink();
        var cache = new KvCacheManager(8, Bs, events: events);
        var hashes = Hashes(3, seed: 1);
        var table = new KvBlockTable();
        Assert.True(cache.TryAllocateSlots(table, 3 * Bs));
        cache.CacheFullBlocks(table, hashes, Bs);
        cache.CacheFullBlocks(table, hashes, 3 * Bs);

        Assert.Equal(2, events.Events.Count);
        Assert.Equal(RecordedKvEventKind.Stored, events.Events[0].Kind);
        Assert.Equal([hashes[0]], events.Events[0].Hashes);
        Assert.Null(events.Events[0].Parent);
        Assert.Equal([hashes[1], hashes[2]], events.Events[1].Hashes);
        Assert.Equal(hashes[0], events.Events[1].Parent);
        Assert.Equal(Bs, events.Events[1].BlockSize);
    }

    [Fact]
    public void A_hash_cached_by_another_block_is_not_registered_twice()
    {
        var events = new RecordingKvEventSink();
        var cache = new KvCacheManager(8, Bs, events: events);
        var hashes = Hashes(2, seed: 1);
        var first = Computed(cache, hashes);
        var second = Computed(cache, hashes); // computed concurrently, no hits
        Assert.Single(events.Events);
        Assert.Equal(2, cache.CachedBlocks);
        Assert.False(cache.TryGetBlockHash(second[0], out _));
        cache.Free(second);
        cache.Free(first);
        Assert.Equal(0, cache.UsedBlocks);
    }

    [Fact]
    public void Reset_clears_the_cache_only_when_idle()
    {
        var events = new RecordingKvEventSink();
        var cache = new KvCacheManager(8, Bs, events: events);
        var hashes = Hashes(2, seed: 1);
        var table = Computed(cache, hashes);
        Assert.False(cache.ResetPrefixCache());
        cache.Free(table);
        Assert.True(cache.ResetPrefixCache());
        Assert.Equal(RecordedKvEventKind.Cleared, events.Events[^1].Kind);
        Assert.Equal(0, cache.CachedBlocks);
        Assert.Equal(0, cache.FindCachedPrefix(hashes, 2, []));
    }

    [Fact]
    public void Disabled_prefix_caching_neither_registers_nor_finds()
    {
        var events = new RecordingKvEventSink();
        var cache = new KvCacheManager(8, Bs, enablePrefixCaching: false, events);
        var hashes = Hashes(2, seed: 1);
        Computed(cache, hashes);
        Assert.Empty(events.Events);
        Assert.Equal(0, cache.FindCachedPrefix(hashes, 2, []));
    }

    [Fact]
    public void Prefix_stats_count_tokens()
    {
        var cache = new KvCacheManager(8, Bs);
        cache.RecordPrefixQuery(100, 64);
        cache.RecordPrefixQuery(20, 0);
        Assert.Equal(120, cache.PrefixCacheQueries);
        Assert.Equal(64, cache.PrefixCacheHits);
    }
}
