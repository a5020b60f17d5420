using DisaggServing.KvTransfer.KvEvents;
using static DisaggServing.KvTransfer.Tests.KvEvents.VllmWire;

namespace DisaggServing.KvTransfer.Tests.KvEvents;

public class VllmKvEventDecoderTests
{
    private static readonly int[] Tokens = [.. Enumerable.Range(1000, 32)];

    private static VllmKvEventBatch Decode(byte[] payload)
    {
        var batch = new VllmKvEventBatch();
        Assert.True(VllmKvEventDecoder.TryDecode(payload, batch, out var error), error);
        return batch;
    }

    [Fact]
    public void The_array_layout_decodes_every_event_type_in_order()
    {
        var batch = Decode(Batch(
            Stored([0xDEADBEEF12345678UL, ulong.MaxValue], null, Tokens),
            Stored([7UL], ulong.MaxValue, [.. Enumerable.Range(1, 16)]),
            Removed([7UL]),
            Cleared()));

        Assert.Equal(1757500000.25, batch.Timestamp);
        Assert.Equal(0, batch.DataParallelRank);
        Assert.Equal(
            [VllmKvEventKind.BlockStored, VllmKvEventKind.BlockStored, VllmKvEventKind.BlockRemoved, VllmKvEventKind.AllBlocksCleared],
            batch.Events.Select(e => e.Kind));
        var first = batch.Events[0];
        Assert.False(first.HasParent);
        Assert.Equal(16, first.BlockSize);
        Assert.Equal([0xDEADBEEF12345678UL, ulong.MaxValue], batch.Hashes.Skip(first.HashStart).Take(first.HashCount));
        Assert.Equal(Tokens, batch.Tokens.Skip(first.TokenStart).Take(first.TokenCount));
        Assert.True(batch.Events[1].HasParent);
        Assert.Equal(ulong.MaxValue, batch.Events[1].Parent);
        Assert.Equal([7UL], batch.Hashes.Skip(batch.Events[2].HashStart).Take(batch.Events[2].HashCount));
        Assert.All(batch.Events, e => Assert.False(e.Malformed));
    }

    [Fact]
    public void The_map_layout_of_newer_vllm_decodes_the_same_and_skips_unknown_keys()
    {
        var batch = Decode(Encode(new object?[]
        {
            1.5,
            new object?[]
            {
                StoredMap([42UL], 41UL, [.. Enumerable.Range(0, 16)], ("group_idx", 0), ("kv_cache_spec_kind", "full_attention"), ("locality", "LOCAL")),
                new (string, object?)[] { ("type", "BlockRemoved"), ("block_hashes", new object[] { 42UL }), ("medium", "GPU"), ("group_idx", 0) },
                new (string, object?)[] { ("type", "AllBlocksCleared") },
            },
        }));

        var stored = batch.Events[0];
        Assert.Equal(VllmKvEventKind.BlockStored, stored.Kind);
        Assert.Equal(0, stored.GroupIndex);
        Assert.Equal(41UL, stored.Parent);
        Assert.Equal(16, stored.TokenCount);
        Assert.Equal(VllmKvEventKind.BlockRemoved, batch.Events[1].Kind);
        Assert.Equal(VllmKvEventKind.AllBlocksCleared, batch.Events[2].Kind);
        Assert.Equal(-1, batch.DataParallelRank); // absent
    }

    [Fact]
    public void A_batch_sent_as_a_map_is_read_too()
    {
        var batch = Decode(Encode(new (string, object?)[] { ("ts", 2.0), ("events", new object?[] { Cleared() }), ("data_parallel_rank", 3), ("future", "x") }));
        Assert.Equal(3, batch.DataParallelRank);
        Assert.Single(batch.Events);
    }

    [Fact]
    public void Extra_trailing_fields_of_later_versions_are_tolerated()
    {
        // vLLM 0.1x+: lora_name, extra_keys, group_idx, kv_cache_spec_kind, kv_cache_spec_sliding_window, locality, and a future one.
        var batch = Decode(Batch(
            Stored([1UL], null, [.. Enumerable.Range(0, 16)], "GPU", null, null, new object?[] { null }, 0, "full_attention", null, "LOCAL", new object?[] { 1, 2 }),
            new object?[] { "BlockRemoved", new object[] { 1UL }, "GPU", 0, "LOCAL", "owner" },
            new object?[] { "AllBlocksCleared", "unexpected" }));
        Assert.All(batch.Events, e => Assert.False(e.Malformed));
        Assert.Equal(int.MaxValue, batch.Events[0].FirstKeyedBlock);
        Assert.Equal(3, batch.Events.Count);
    }

    [Fact]
    public void Hashes_given_as_digest_bytes_key_by_their_last_8_bytes()
    {
        var digest = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var batch = Decode(Batch(Stored([digest], digest, [.. Enumerable.Range(0, 16)])));
        Assert.Equal(0x18191A1B1C1D1E1FUL, batch.Hashes[0]);
        Assert.Equal(0x18191A1B1C1D1E1FUL, batch.Events[0].Parent);
    }

    [Fact]
    public void Lora_extra_keys_and_offloaded_media_are_flagged()
    {
        var batch = Decode(Batch(
            Stored([1UL, 2UL], null, Tokens, "GPU", 3, "adapter"),
            Stored([3UL, 4UL], null, Tokens, "GPU", null, null, (object)new object?[] { null, new object?[] { "salt" } }),
            Stored([5UL], null, [.. Enumerable.Range(0, 16)], "CPU")));
        Assert.Equal(0, batch.Events[0].FirstKeyedBlock);
        Assert.Equal(1, batch.Events[1].FirstKeyedBlock);
        Assert.True(batch.Events[2].OffDevice);
    }

    [Fact]
    public void A_field_of_the_wrong_type_marks_only_its_event_malformed()
    {
        var batch = Decode(Batch(
            new object?[] { "BlockStored", "nope", null, new object[] { 1, 2 }, 16 },
            new object?[] { "BlockMigrated", new object[] { 9UL }, "peer" },
            42,
            Removed([5UL])));
        Assert.True(batch.Events[0].Malformed);
        Assert.Equal(VllmKvEventKind.Unknown, batch.Events[1].Kind);
        Assert.True(batch.Events[2].Malformed);
        Assert.False(batch.Events[3].Malformed);
        Assert.Equal(VllmKvEventKind.BlockRemoved, batch.Events[3].Kind);
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0xC1 })] // a never-used msgpack code
    [InlineData(new byte[] { 0x93, 0xCB })] // truncated
    [InlineData(new byte[] { 0xA3, (byte)'a', (byte)'b', (byte)'c' })] // a string, not a batch
    [InlineData(new byte[] { 0x91, 0x01 })] // [1]: no events
    public void A_payload_that_is_not_a_batch_fails_with_a_reason(byte[] payload)
    {
        var batch = new VllmKvEventBatch();
        Assert.False(VllmKvEventDecoder.TryDecode(payload, batch, out var error));
        Assert.False(string.IsNullOrEmpty(error));
        Assert.Empty(batch.Events);
    }
}
