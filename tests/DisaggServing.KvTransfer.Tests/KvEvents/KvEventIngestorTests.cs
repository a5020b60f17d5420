using DisaggServing.KvTransfer.Index;
using DisaggServing.KvTransfer.KvEvents;
using DisaggServing.Protocol.Kv;
using Microsoft.Extensions.Logging.Abstractions;
using static DisaggServing.KvTransfer.Tests.KvEvents.VllmWire;

namespace DisaggServing.KvTransfer.Tests.KvEvents;

public class KvEventIngestorTests
{
    private const string Engine = "127.0.0.1:8101";

    // A 4-block prompt and its router-side keys (the shared default scheme).
    private static readonly int[] Prompt = [.. Enumerable.Range(500, 4 * BlockSize)];
    private static readonly ulong[] RouterKeys = KvBlockHasher.HashPrompt(Prompt);

    private readonly KvBlockIndex _index = new();

    private KvEventIngestor Ingestor(IKvEventReplay? replay = null)
    {
        var ingestor = new KvEventIngestor(Engine, _index, KvBlockHashScheme.Default, replay, NullLogger.Instance);
        ingestor.Start();
        return ingestor;
    }

    private int Matched(ulong[]? keys = null)
    {
        var matches = new List<PrefixMatch>();
        _index.FindLongestPrefix(keys ?? RouterKeys, matches);
        return matches.SingleOrDefault(m => m.EngineId == Engine).MatchedBlocks;
    }

    [Fact]
    public void An_engine_with_the_same_scheme_publishes_exactly_the_routers_keys()
    {
        var ingestor = Ingestor();
        Assert.True(ingestor.Ingest(Frames(0, Batch(Stored(EngineHashes(KvBlockHashScheme.Default, Prompt), null, Prompt)))));
        Assert.Equal(4, Matched());
        Assert.Equal(4, ingestor.Stats.BlocksStored);
        Assert.Equal([Engine], _index.EventFedEngines);
    }

    [Fact]
    public void An_engine_with_another_seed_or_algorithm_still_matches_because_chains_are_rebuilt_from_tokens()
    {
        // vLLM without PYTHONHASHSEED draws a random NONE_HASH; here: sha256_cbor with an unknown seed, in two events.
        var engineScheme = new KvBlockHashScheme(KvBlockHashAlgorithm.Sha256Cbor, "random-7f3a");
        var engine = EngineHashes(engineScheme, Prompt);
        var ingestor = Ingestor();
        ingestor.Ingest(Frames(0, Batch(Stored(engine[..2], null, Prompt[..(2 * BlockSize)]))));
        ingestor.Ingest(Frames(1, Batch(Stored(engine[2..], engine[1], Prompt[(2 * BlockSize)..]))));
        Assert.Equal(4, Matched());
    }

    [Fact]
    public void An_engine_proven_to_hash_like_the_index_is_taken_at_its_word_and_one_that_does_not_never_is()
    {
        var same = Ingestor();
        var seq = 0UL;
        for (var prompt = 0; prompt < 10; prompt++)
        {
            int[] tokens = [.. Enumerable.Range(prompt * 1000, 4 * BlockSize)];
            same.Ingest(Frames(seq++, Batch(Stored(EngineHashes(KvBlockHashScheme.Default, tokens), null, tokens))));
        }

        Assert.True(same.Stats.EngineHashesVerified); // 40 blocks agreed
        var engine = EngineHashes(KvBlockHashScheme.Default, Prompt);
        same.Ingest(Frames(seq++, Batch(Stored(engine, null, Prompt))));
        Assert.Equal(4, Matched());
        same.Ingest(Frames(seq++, Batch(Removed([engine[3]]))));
        Assert.Equal(3, Matched());

        var other = new KvEventIngestor("127.0.0.1:9999", _index, KvBlockHashScheme.Default, null, NullLogger.Instance);
        other.Start();
        var cbor = new KvBlockHashScheme(KvBlockHashAlgorithm.Sha256Cbor, "0");
        for (var prompt = 0; prompt < 10; prompt++)
        {
            int[] tokens = [.. Enumerable.Range(prompt * 1000, 4 * BlockSize)];
            other.Ingest(Frames((ulong)prompt, Batch(Stored(EngineHashes(cbor, tokens), null, tokens))));
        }

        Assert.False(other.Stats.EngineHashesVerified);
    }

    [Fact]
    public void Full_digest_bytes_and_the_map_layout_index_the_same()
    {
        var ingestor = Ingestor();
        var digests = EngineHashBytes(KvBlockHashScheme.Default, Prompt);
        ingestor.Ingest(Frames(0, Encode(new object?[] { 1.0, new object?[] { StoredMap(digests, null, Prompt, ("group_idx", 0)) }, 0 })));
        Assert.Equal(4, Matched());
    }

    [Fact]
    public void Removal_shortens_the_match_and_all_blocks_cleared_empties_the_engine()
    {
        var engine = EngineHashes(KvBlockHashScheme.Default, Prompt);
        var ingestor = Ingestor();
        ingestor.Ingest(Frames(0, Batch(Stored(engine, null, Prompt))));
        ingestor.Ingest(Frames(1, Batch(Removed([engine[2], engine[3]]))));
        Assert.Equal(2, Matched());
        Assert.Equal(2, ingestor.Stats.BlocksRemoved);
        ingestor.Ingest(Frames(2, Batch(Cleared())));
        Assert.Equal(0, Matched());
        Assert.Equal(0, _index.BlockCount(Engine));
        // After a clear the same prefix can be stored again from the root.
        ingestor.Ingest(Frames(3, Batch(Stored(engine[..1], null, Prompt[..BlockSize]))));
        Assert.Equal(1, Matched());
    }

    [Fact]
    public void A_second_physical_copy_keeps_the_block_until_both_are_removed()
    {
        var engine = EngineHashes(KvBlockHashScheme.Default, Prompt);
        var ingestor = Ingestor();
        ingestor.Ingest(Frames(0, Batch(Stored(engine[..1], null, Prompt[..BlockSize]), Stored(engine[..1], null, Prompt[..BlockSize]))));
        ingestor.Ingest(Frames(1, Batch(Removed([engine[0]]))));
        Assert.Equal(1, Matched());
        ingestor.Ingest(Frames(2, Batch(Removed([engine[0]]))));
        Assert.Equal(0, Matched());
    }

    [Fact]
    public void A_sequence_gap_without_replay_drops_the_engines_blocks_and_rebuilds_from_later_events()
    {
        var engine = EngineHashes(KvBlockHashScheme.Default, Prompt);
        var ingestor = Ingestor();
        ingestor.Ingest(Frames(0, Batch(Stored(engine, null, Prompt))));
        // Batch 1 (say, a removal of block 3) was lost: block 3 may be gone, so nothing of the old state is trusted.
        Assert.True(ingestor.Ingest(Frames(2, Batch(Cleared(), Stored(engine[..2], null, Prompt[..(2 * BlockSize)])))));
        Assert.Equal(1, ingestor.Stats.Gaps);
        Assert.Equal(1, ingestor.Stats.Resyncs);
        Assert.Equal(2, Matched());
        Assert.True(ingestor.Ingest(Frames(3, Batch(Removed([engine[1]])))));
        Assert.Equal(1, Matched());
    }

    [Fact]
    public void A_restarted_engine_counting_from_zero_again_is_resynced()
    {
        var engine = EngineHashes(KvBlockHashScheme.Default, Prompt);
        var ingestor = Ingestor();
        for (ulong seq = 0; seq < 5; seq++)
            ingestor.Ingest(Frames(seq, Batch(Stored(engine, null, Prompt))));
        Assert.Equal(4, Matched());
        Assert.True(ingestor.Ingest(Frames(0, Batch(Stored(engine[..1], null, Prompt[..BlockSize])))));
        Assert.Equal(1, Matched());
        Assert.Equal(1, ingestor.Stats.Resyncs);
    }

    [Fact]
    public void A_gap_is_filled_from_the_replay_buffer_and_replayed_duplicates_are_dropped()
    {
        var engine = EngineHashes(KvBlockHashScheme.Default, Prompt);
        var payloads = new[]
        {
            Batch(Stored(engine[..1], null, Prompt[..BlockSize])),
            Batch(Stored(engine[1..2], engine[0], Prompt[BlockSize..(2 * BlockSize)])),
            Batch(Stored(engine[2..3], engine[1], Prompt[(2 * BlockSize)..(3 * BlockSize)])),
            Batch(Stored(engine[3..], engine[2], Prompt[(3 * BlockSize)..])),
        };
        var replay = new FakeReplay(payloads);
        var ingestor = Ingestor(replay);
        ingestor.Ingest(Frames(0, payloads[0]));
        Assert.True(ingestor.Ingest(Frames(3, payloads[3]))); // 1 and 2 were missed
        Assert.Equal([1UL], replay.Requests);
        Assert.Equal(2, ingestor.Stats.Replayed);
        Assert.Equal(0, ingestor.Stats.Resyncs);
        Assert.Equal(4, Matched());
        Assert.False(ingestor.Ingest(Frames(2, payloads[2]))); // the live copy of a replayed batch, late
        Assert.Equal(4, Matched());
    }

    [Fact]
    public void A_replay_buffer_that_no_longer_reaches_back_falls_back_to_a_resync()
    {
        var engine = EngineHashes(KvBlockHashScheme.Default, Prompt);
        var ingestor = Ingestor(new FakeReplay([], firstSequence: 5));
        ingestor.Ingest(Frames(0, Batch(Stored(engine, null, Prompt))));
        ingestor.Ingest(Frames(9, Batch(Removed([engine[3]]))));
        Assert.Equal(1, ingestor.Stats.Resyncs);
        Assert.Equal(0, Matched());
    }

    [Fact]
    public void Lora_salted_offloaded_and_orphan_blocks_are_not_indexed()
    {
        var engine = EngineHashes(KvBlockHashScheme.Default, Prompt);
        var ingestor = Ingestor();
        ingestor.Ingest(Frames(0, Batch(
            Stored(engine, null, Prompt, "GPU", 3, "adapter"), // LoRA: every block's hash carries the adapter name
            Stored(engine, null, Prompt, "CPU"), // an offload tier
            Stored(engine[2..], 0x1234UL, Prompt[(2 * BlockSize)..])))); // parent never seen
        Assert.Equal(0, Matched());
        Assert.Equal(4, ingestor.Stats.KeyedBlocks);
        Assert.Equal(2, ingestor.Stats.OrphanBlocks);
        Assert.Equal(1, ingestor.Stats.SkippedEvents);
        // A cache salt only keys block 0, yet every later block chains from it: nothing is indexed.
        ingestor.Ingest(Frames(1, Batch(Stored(engine, null, Prompt, "GPU", null, null, (object)new object?[] { new object?[] { "salt" }, null, null, null }))));
        Assert.Equal(0, Matched());
    }

    [Fact]
    public void Malformed_frames_are_counted_and_never_thrown_and_the_stream_goes_on()
    {
        var engine = EngineHashes(KvBlockHashScheme.Default, Prompt);
        var ingestor = Ingestor();
        Assert.False(ingestor.Ingest([[1], [2]]));
        Assert.False(ingestor.Ingest([[1], [0, 0, 0, 1], [0x90]]));
        Assert.Equal(2, ingestor.Stats.MalformedFrames);
        Assert.True(ingestor.Ingest(Frames(0, Batch(Stored(engine, null, Prompt)))));
        // A payload that is not msgpack consumes its sequence number; the blocks may be stale, so they are dropped.
        Assert.False(ingestor.Ingest(Frames(1, [0xC1, 0xC1])));
        Assert.Equal(3, ingestor.Stats.MalformedFrames);
        Assert.Equal(0, Matched());
        Assert.True(ingestor.Ingest(Frames(2, Batch(Stored(engine[..1], null, Prompt[..BlockSize])))));
        Assert.Equal(1, Matched());
        // A malformed event inside a good batch drops only that event.
        Assert.True(ingestor.Ingest(Frames(3, Batch(new object?[] { "BlockStored", "nope" }, Stored(engine[1..2], engine[0], Prompt[BlockSize..(2 * BlockSize)])))));
        Assert.Equal(2, Matched());
        Assert.Equal(1, ingestor.Stats.MalformedEvents);
    }

    [Fact]
    public void An_engine_that_never_published_is_not_event_fed_and_stopping_removes_it()
    {
        var ingestor = Ingestor();
        Assert.Empty(_index.EventFedEngines);
        Assert.Equal(1, _index.EngineCount);
        ingestor.Ingest(Frames(0, Batch(Cleared())));
        Assert.Equal([Engine], _index.EventFedEngines);
        ingestor.Stop();
        Assert.Empty(_index.EventFedEngines);
        Assert.Equal(0, _index.EngineCount);
    }

    private sealed class FakeReplay(byte[][] payloads, ulong firstSequence = 0) : IKvEventReplay
    {
        public List<ulong> Requests { get; } = [];

        public IReadOnlyList<(ulong Sequence, byte[] Payload)>? Fetch(ulong fromSequence)
        {
            Requests.Add(fromSequence);
            return [.. payloads.Select((p, i) => ((ulong)i + firstSequence, p)).Where(b => b.Item1 >= fromSequence)];
        }
    }
}
