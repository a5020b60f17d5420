namespace DisaggServing.KvTransfer.Index;

/// <summary>
/// One slot of a <see cref="BlockTable"/>: a block hash and the bitset of engine ordinals holding it (ordinals 0..63
/// inline, the rest in <see cref="High"/>). <see cref="Key"/> never changes once written, so a reader that matched
/// the key reads that block's bits, at worst a moment stale.
/// </summary>
internal struct BlockSlot
{
    /// <summary>The block hash; 0 marks an empty slot (the hash 0 itself lives in a dedicated slot).</summary>
    public ulong Key;

    /// <summary>Ordinals 0..63.</summary>
    public ulong Low;

    /// <summary>Ordinals 64 and up, word i holding 64·(i+1)..64·(i+1)+63; null while none is set.</summary>
    public ulong[]? High;
}
