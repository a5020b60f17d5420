using DisaggServing.KvTransfer.Index;
using DisaggServing.KvTransfer.Tests.Support;
using DisaggServing.Protocol.Kv;

namespace DisaggServing.KvTransfer.Tests.Index;

public class KvBlockIndexTests
{
    private readonly KvBlockIndex _index = new();
    private readonly List<PrefixMatch> _matches = [];

    private PrefixMatch[] Find(ulong[] hashes, params string[] filter)
    {
        _index.FindLongestPrefix(hashes, _matches, filter);
        return _matches.ToArray();
    }

    [Fact]
    public void An_empty_index_matches_nothing()
    {
        Assert.Empty(Find(TestEngines.Hashes(1, 4)));
        _index.AddEngine("e0");
        Assert.Empty(Find(TestEngines.Hashes(1, 4)));
        Assert.Empty(Find([]));
    }

    [Fact]
    public void Stored_blocks_match_as_a_prefix_per_engine_longest_first()
    {
        var prompt = KvBlockHasher.HashPrompt(Enumerable.Range(0, 16 * 10).ToArray());
        _index.AddEngine("short");
        _index.AddEngine("full");
        _index.AddEngine("none");
        _index.Publish("short", 0, [KvBlockEvent.Stored(prompt[..3])]);
        _index.Publish("full", 0, [KvBlockEvent.Stored(prompt)]);

        Assert.Equal([new PrefixMatch("full", 10), new PrefixMatch("short", 3)], Find(prompt));
        Assert.Equal([new PrefixMatch("full", 6), new PrefixMatch("short", 3)], Find(prompt[..6]));
        Assert.Equal(10, _index.DistinctBlocks);
        Assert.Equal(13, _index.IndexedBlocks);
    }

    [Fact]
    public void The_walk_stops_at_each_engines_first_miss()
    {
        var h = TestEngines.Hashes(1, 6);
        _index.AddEngine("a");
        // Holds blocks 0, 1, 3, 4 — a gap at 2 ends its prefix there.
        _index.Publish("a", 0, [KvBlockEvent.Stored(h[0], h[1], h[3], h[4])]);

        Assert.Equal([new PrefixMatch("a", 2)], Find(h));
        Assert.Empty(Find(h[2..]));
        Assert.Equal([new PrefixMatch("a", 2)], Find(h[3..]));
    }

    [Fact]
    public void Removed_blocks_shorten_the_prefix()
    {
        var h = TestEngines.Hashes(1, 8);
        _index.AddEngine("a");
        _index.Publish("a", 0, [KvBlockEvent.Stored(h)]);
        _index.Publish("a", 1, [KvBlockEvent.Removed(h[5], h[6], h[7])]);

        Assert.Equal([new PrefixMatch("a", 5)], Find(h));
        Assert.Equal(5, _index.BlockCount("a"));
        Assert.Equal(5, _index.DistinctBlocks);
    }

    [Fact]
    public void Removing_a_block_an_engine_does_not_hold_changes_nothing()
    {
        var h = TestEngines.Hashes(1, 3);
        _index.AddEngine("a");
        _index.AddEngine("b");
        _index.Publish("a", 0, [KvBlockEvent.Stored(h)]);
        _index.Publish("b", 0, [KvBlockEvent.Removed(h)]);

        Assert.Equal([new PrefixMatch("a", 3)], Find(h));
        Assert.Equal(3, _index.IndexedBlocks);
    }

    [Fact]
    public void Storing_a_block_twice_counts_it_once()
    {
        _index.AddEngine("a");
        _index.Publish("a", 0, [KvBlockEvent.Stored(1, 2), KvBlockEvent.Stored(2, 3)]);

        Assert.Equal(3, _index.BlockCount("a"));
        Assert.Equal(3, _index.IndexedBlocks);
    }

    [Fact]
    public void All_blocks_cleared_empties_only_that_engine()
    {
        var h = TestEngines.Hashes(1, 4);
        _index.AddEngine("a");
        _index.AddEngine("b");
        _index.Publish("a", 0, [KvBlockEvent.Stored(h)]);
        _index.Publish("b", 0, [KvBlockEvent.Stored(h[..2])]);

        _index.Publish("a", 1, [KvBlockEvent.Cleared()]);

        Assert.Equal([new PrefixMatch("b", 2)], Find(h));
        Assert.Equal(2, _index.IndexedBlocks);
        Assert.Equal(2, _index.DistinctBlocks);
    }

    [Fact]
    public void Events_in_a_batch_apply_in_order()
    {
        _index.AddEngine("a");
        _index.Publish("a", 0, [KvBlockEvent.Stored(1, 2), KvBlockEvent.Cleared(), KvBlockEvent.Stored(1), KvBlockEvent.Removed(1), KvBlockEvent.Stored(1)]);

        Assert.Equal([new PrefixMatch("a", 1)], Find([1, 2]));
    }

    [Fact]
    public void The_engine_filter_restricts_matches_and_ignores_unknown_ids()
    {
        var h = TestEngines.Hashes(1, 4);
        foreach (var id in new[] { "a", "b", "c" })
        {
            _index.AddEngine(id);
            _index.Publish(id, 0, [KvBlockEvent.Stored(h)]);
        }

        Assert.Equal([new PrefixMatch("a", 4), new PrefixMatch("c", 4)], Find(h, "c", "a", "ghost"));
        Assert.Empty(Find(h, "ghost"));
        Assert.Equal(3, Find(h).Length);
    }

    [Fact]
    public void Ties_come_out_in_registration_order()
    {
        var h = TestEngines.Hashes(1, 2);
        foreach (var id in new[] { "z", "y", "x" })
        {
            _index.AddEngine(id);
            _index.Publish(id, 0, [KvBlockEvent.Stored(h)]);
        }

        Assert.Equal(["z", "y", "x"], Find(h).Select(m => m.EngineId));
    }

    [Fact]
    public void A_sequence_gap_clears_the_engine_and_asks_for_a_resync()
    {
        var h = TestEngines.Hashes(1, 4);
        _index.AddEngine("a");
        Assert.Equal(PublishOutcome.Applied, _index.Publish("a", 7, [KvBlockEvent.Stored(h)]));
        Assert.Equal(PublishOutcome.Applied, _index.Publish("a", 8, [KvBlockEvent.Removed(h[3])]));

        Assert.Equal(PublishOutcome.ResyncRequired, _index.Publish("a", 10, [KvBlockEvent.Stored(99)]));

        Assert.Empty(Find(h));
        Assert.Equal(0, _index.BlockCount("a"));
        Assert.Equal(0, _index.DistinctBlocks);
        // The engine's snapshot starts a new sequence, whatever its number.
        Assert.Equal(PublishOutcome.Applied, _index.Publish("a", 11, [KvBlockEvent.Cleared(), KvBlockEvent.Stored(h[..2])]));
        Assert.Equal(PublishOutcome.Applied, _index.Publish("a", 12, []));
        Assert.Equal([new PrefixMatch("a", 2)], Find(h));
    }

    [Theory]
    [InlineData(5UL)]
    [InlineData(4UL)]
    [InlineData(0UL)]
    public void A_repeated_or_restarted_sequence_also_asks_for_a_resync(ulong sequence)
    {
        _index.AddEngine("a");
        _index.Publish("a", 4, [KvBlockEvent.Stored(1)]);
        _index.Publish("a", 5, [KvBlockEvent.Stored(2)]);

        Assert.Equal(PublishOutcome.ResyncRequired, _index.Publish("a", sequence, [KvBlockEvent.Stored(3)]));
        Assert.Equal(0, _index.BlockCount("a"));
    }

    [Fact]
    public void The_sequence_may_wrap_around()
    {
        _index.AddEngine("a");
        Assert.Equal(PublishOutcome.Applied, _index.Publish("a", ulong.MaxValue, [KvBlockEvent.Stored(1)]));
        Assert.Equal(PublishOutcome.Applied, _index.Publish("a", 0, [KvBlockEvent.Stored(2)]));
    }

    [Fact]
    public void A_gap_leaves_other_engines_alone()
    {
        var h = TestEngines.Hashes(1, 3);
        _index.AddEngine("a");
        _index.AddEngine("b");
        _index.Publish("a", 0, [KvBlockEvent.Stored(h)]);
        _index.Publish("b", 0, [KvBlockEvent.Stored(h)]);

        _index.Publish("a", 5, []);

        Assert.Equal([new PrefixMatch("b", 3)], Find(h));
    }

    [Fact]
    public void Unknown_engines_are_refused()
    {
        Assert.Equal(PublishOutcome.UnknownEngine, _index.Publish("ghost", 0, [KvBlockEvent.Stored(1)]));
        Assert.Equal(0, _index.IndexedBlocks);
        Assert.Null(_index.BlockCount("ghost"));
        Assert.False(_index.RemoveEngine("ghost"));
    }

    [Fact]
    public void A_removed_engines_ordinal_is_reused_without_inheriting_its_blocks()
    {
        var h = TestEngines.Hashes(1, 3);
        _index.AddEngine("a");
        _index.AddEngine("b");
        _index.Publish("a", 0, [KvBlockEvent.Stored(h)]);
        _index.Publish("b", 0, [KvBlockEvent.Stored(h[..1])]);

        Assert.True(_index.RemoveEngine("a"));
        _index.AddEngine("c");

        Assert.Equal([new PrefixMatch("b", 1)], Find(h));
        Assert.Equal(0, _index.BlockCount("c"));
        Assert.Equal(2, _index.EngineCount);
    }

    [Fact]
    public void More_than_64_engines_spread_over_several_bitset_words()
    {
        var h = TestEngines.Hashes(1, 200);
        for (var e = 0; e < 150; e++)
        {
            var id = $"e{e:D3}";
            _index.AddEngine(id);
            _index.Publish(id, 0, [KvBlockEvent.Stored(h[..(e + 1)])]);
        }

        var all = Find(h);
        Assert.Equal(150, all.Length);
        Assert.Equal(Enumerable.Range(0, 150).Reverse().Select(e => new PrefixMatch($"e{e:D3}", e + 1)), all);

        Assert.Equal([new PrefixMatch("e130", 131), new PrefixMatch("e070", 71), new PrefixMatch("e001", 2)], Find(h, "e001", "e070", "e130"));

        for (var e = 0; e < 149; e++)
            _index.RemoveEngine($"e{e:D3}");
        Assert.Equal([new PrefixMatch("e149", 150)], Find(h));
        Assert.Equal(150, _index.IndexedBlocks);
    }

    [Fact]
    public void A_lookup_reuses_the_result_list()
    {
        _index.AddEngine("a");
        _index.Publish("a", 0, [KvBlockEvent.Stored(1)]);
        _matches.Add(new PrefixMatch("stale", 9));

        Assert.Equal(1, _index.FindLongestPrefix([1], _matches));
        Assert.Equal([new PrefixMatch("a", 1)], _matches);
    }
}
