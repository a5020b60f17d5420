using DisaggServing.Worker.Kv;

namespace DisaggServing.Worker.Tests;

public sealed class KvPayloadTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(1280)]
    [InlineData(5000)]
    public void Payloads_are_deterministic_and_verifiable(int length)
    {
        var a = KvPayload.Create("prefill-0", "req-1", 3, length);
        var b = KvPayload.Create("prefill-0", "req-1", 3, length);

        Assert.Equal(length, a.Length);
        Assert.Equal(a, b);
        Assert.Equal(KvPayload.Checksum(a), KvPayload.Checksum(b));
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
}
