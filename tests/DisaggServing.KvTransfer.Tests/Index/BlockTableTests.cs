using DisaggServing.KvTransfer.Index;

namespace DisaggServing.KvTransfer.Tests.Index;

public class BlockTableTests
{
    private static ulong Bits(BlockTable table, ulong key, int word = 0)
    {
        if (!table.Current.TryGet(key, out var low, out var high))
            return 0;
        return word == 0 ? low : high is not null && word - 1 < high.Length ? high[word - 1] : 0;
    }

    [Fact]
    public void Set_and_clear_bits_per_key()
    {
        var table = new BlockTable();
        table.Set(42, 0);
        table.Set(42, 5);
        table.Set(43, 63);

        Assert.Equal(0b100001UL, Bits(table, 42));
        Assert.Equal(1UL << 63, Bits(table, 43));
        Assert.False(table.Current.TryGet(44, out _, out _));
        Assert.Equal(2, table.LiveCount);

        table.Clear(42, 0);
        table.Clear(42, 5);
        table.Clear(42, 5);
        table.Clear(99, 1);

        Assert.False(table.Current.TryGet(42, out _, out _));
        Assert.Equal(1, table.LiveCount);
    }

    [Fact]
    public void Ordinals_beyond_64_use_the_high_words()
    {
        var table = new BlockTable();
        table.Set(7, 1);
        table.Set(7, 64);
        table.Set(7, 200);

        Assert.Equal(2UL, Bits(table, 7));
        Assert.Equal(1UL, Bits(table, 7, 1));
        Assert.Equal(1UL << (200 - 192), Bits(table, 7, 3));

        table.Clear(7, 1);
        table.Clear(7, 64);
        Assert.Equal(1, table.LiveCount);
        table.Clear(7, 200);
        Assert.Equal(0, table.LiveCount);
    }

    [Fact]
    public void The_hash_zero_is_a_key_like_any_other()
    {
        var table = new BlockTable();
        Assert.False(table.Current.TryGet(0, out _, out _));

        table.Set(0, 3);
        Assert.Equal(8UL, Bits(table, 0));
        Assert.Equal(1, table.LiveCount);

        table.Clear(0, 3);
        Assert.False(table.Current.TryGet(0, out _, out _));
        Assert.Equal(0, table.LiveCount);
    }

    [Fact]
    public void The_table_grows_and_rehashing_keeps_every_live_key()
    {
        var table = new BlockTable();
        var random = new Random(1);
        var keys = Enumerable.Range(0, 10_000).Select(_ => (ulong)random.NextInt64()).Append(0UL).ToArray();
        for (var i = 0; i < keys.Length; i++)
            table.Set(keys[i], i % 100);

        Assert.True(table.Capacity >= keys.Length / 0.7);
        for (var i = 0; i < keys.Length; i++)
            Assert.Equal(1UL << (i % 100 & 63), Bits(table, keys[i], i % 100 >> 6));
    }

    [Fact]
    public void Dead_slots_are_reused_and_dropped_on_rehash()
    {
        var table = new BlockTable();
        // Churn far more keys than the table holds at once: dead slots must not fill it up.
        for (var round = 0; round < 200; round++)
        {
            for (ulong k = 1; k <= 50; k++)
                table.Set((ulong)round * 1000 + k, 0);
            for (ulong k = 1; k <= 50; k++)
                table.Clear((ulong)round * 1000 + k, 0);
        }

        Assert.Equal(0, table.LiveCount);
        Assert.True(table.Capacity <= 1024, $"capacity {table.Capacity}");

        table.Set(5, 1);
        table.Clear(5, 1);
        table.Set(5, 2);
        Assert.Equal(4UL, Bits(table, 5));
    }
}
