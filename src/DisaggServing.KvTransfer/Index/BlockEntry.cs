namespace DisaggServing.KvTransfer.Index;

/// <summary>
/// The engines holding one block, as a bitset of engine ordinals: ordinals 0..63 inline, the rest in an array that
/// grows on demand. One writer at a time (the index's write lock) mutates it; readers read words without locks and
/// may see a write a moment late, never a torn word.
/// </summary>
internal sealed class BlockEntry
{
    private ulong _low;
    private ulong[]? _high;

    /// <summary>True when no engine holds the block.</summary>
    public bool IsEmpty
    {
        get
        {
            if (_low != 0)
                return false;
            if (_high is { } high)
            {
                foreach (var word in high)
                {
                    if (word != 0)
                        return false;
                }
            }

            return true;
        }
    }

    /// <summary>Word <paramref name="index"/> of the bitset (ordinals 64·index .. 64·index+63); 0 beyond its end.</summary>
    public ulong Word(int index)
    {
        if (index == 0)
            return Volatile.Read(ref _low);
        var high = Volatile.Read(ref _high);
        return high is not null && index - 1 < high.Length ? Volatile.Read(ref high[index - 1]) : 0;
    }

    /// <summary>Marks the engine of ordinal <paramref name="ordinal"/> as holding the block (writer only).</summary>
    public void Set(int ordinal)
    {
        var bit = 1UL << (ordinal & 63);
        var index = ordinal >> 6;
        if (index == 0)
        {
            Volatile.Write(ref _low, _low | bit);
            return;
        }

        var high = _high;
        if (high is null || index - 1 >= high.Length)
        {
            var grown = new ulong[index];
            high?.CopyTo(grown, 0);
            high = grown;
            Volatile.Write(ref _high, grown);
        }

        Volatile.Write(ref high[index - 1], high[index - 1] | bit);
    }

    /// <summary>Marks the engine of ordinal <paramref name="ordinal"/> as no longer holding the block (writer only).</summary>
    public void Clear(int ordinal)
    {
        var bit = 1UL << (ordinal & 63);
        var index = ordinal >> 6;
        if (index == 0)
        {
            Volatile.Write(ref _low, _low & ~bit);
            return;
        }

        var high = _high;
        if (high is not null && index - 1 < high.Length)
            Volatile.Write(ref high[index - 1], high[index - 1] & ~bit);
    }
}
