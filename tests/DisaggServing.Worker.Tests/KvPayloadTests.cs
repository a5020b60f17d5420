using System.IO.Hashing;
using DisaggServing.Worker.Kv;

namespace DisaggServing.Worker.Tests;

public sealed class KvPayloadTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(1280)]
    [InlineData(5000)]
    [InlineData(3 * 4096 + 13)]
    public void Payloads_are_deterministic_and_verifiable(int length)
    {
        var a = KvPayload.Create("prefill-0", "req-1", 3, length);
        var b = KvPayload.Create("prefill-0", "req-1", 3, length);

        Assert.Equal(length, a.Length);
        Assert.Equal(a, b);
        Assert.Equal(KvPayload.Checksum(a), KvPayload.Checksum(b));
        Assert.Equal(XxHash3.HashToUInt64(a), KvPayload.Checksum(a));
        Assert.True(KvPayload.Matches(a, "prefill-0", "req-1", 3));
    }

    [Fact]
    public void Another_engine_request_or_block_gives_other_bytes()
    {
        var block = KvPayload.Create("prefill-0", "req-1", 3, 64);

        Assert.False(KvPayload.Matches(block, "prefill-1", "req-1", 3));
        Assert.False(KvPayload.Matches(block, "prefill-0", "req-2", 3));
        Assert.False(KvPayload.Matches(block, "prefill-0", "req-1", 4));
        block[10] ^= 1;
        Assert.False(KvPayload.Matches(block, "prefill-0", "req-1", 3));
    }

    [Fact]
    public void A_payload_opens_with_its_seed_and_no_two_pages_are_alike()
    {
        var seed = KvPayload.Seed("prefill-0", "req-1", 0);
        var block = KvPayload.Create("prefill-0", "req-1", 0, 4 * KvPayloadPattern.PageBytes);

        Assert.Equal(seed, KvPayloadPattern.FromHead(block));
        var pages = block.Chunk(KvPayloadPattern.PageBytes).Select(Convert.ToHexString).ToList();
        Assert.Equal(pages.Count, pages.Distinct().Count());
    }

    [Fact]
    public void A_corrupted_byte_anywhere_fails_the_match()
    {
        // Three pages and a ragged tail: every position, including the seed and both sides of each page boundary.
        var length = 3 * KvPayloadPattern.PageBytes + 21;
        var block = KvPayload.Create("prefill-0", "req-1", 5, length);
        for (var i = 0; i < length; i++)
        {
            block[i] ^= 0x40;
            Assert.False(KvPayload.Matches(block, "prefill-0", "req-1", 5), $"byte {i}");
            block[i] ^= 0x40;
        }
        Assert.True(KvPayload.Matches(block, "prefill-0", "req-1", 5));
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(3, 4096)]
    [InlineData(4090, 20)]
    [InlineData(5000, 9000)]
    [InlineData(8191, 3)]
    public void Any_slice_writes_and_matches_the_same_bytes_as_the_whole(int offset, int length)
    {
        var whole = KvPayload.Create("prefill-0", "req-1", 2, 16384);
        var pattern = KvPayload.Pattern("prefill-0", "req-1", 2);
        var slice = new byte[length];

        pattern.Write(slice, offset);

        Assert.Equal(whole.AsSpan(offset, length).ToArray(), slice);
        Assert.True(pattern.Matches(slice, offset));
        if (length >= 16)
            Assert.False(pattern.Matches(slice, offset + 1));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(1280)]
    public void A_pattern_made_for_a_short_payload_writes_the_same_bytes_and_no_further(int length)
    {
        var seed = KvPayload.Seed("prefill-0", "req-1", 1);
        var full = new byte[length];
        var shorter = new byte[length];

        new KvPayloadPattern(seed).Write(full, 0);
        new KvPayloadPattern(seed, length).Write(shorter, 0);

        Assert.Equal(full, shorter);
        Assert.True(new KvPayloadPattern(seed, length).Matches(full, 0));
        Assert.ThrowsAny<ArgumentException>(() => new KvPayloadPattern(seed, length).Write(new byte[16], (length + 7) & ~7));
    }

    [Theory]
    [InlineData(0, 0UL)]
    [InlineData(1, 0xFFUL)]
    [InlineData(7, 0xFF_FFFF_FFFF_FFFFUL)]
    [InlineData(8, ulong.MaxValue)]
    [InlineData(100, ulong.MaxValue)]
    public void The_head_mask_covers_the_seed_bytes_a_payload_holds(int length, ulong mask)
    {
        Assert.Equal(mask, KvPayloadPattern.HeadMask(length));
    }
}
