using System.Runtime.CompilerServices;

namespace DisaggServing.KvTransfer.Index;

/// <summary>
/// Block hash → engine-ordinal bitset, as an open-addressing hash table (linear probing, Fibonacci hashing) built for
/// one writer and any number of lock-free readers.
/// </summary>
/// <remarks>
/// <para>Readers take the current <see cref="Snapshot"/> with one volatile read and probe it without locks: a slot's key
/// is written once (after its bits) and never changed, and bits are single-word volatile writes, so a reader sees
/// every block either before or after a concurrent change, never a mix of two blocks.</para>
/// <para>Keys are never removed in place: a block no engine holds keeps its slot with empty bits (a dead slot), which a
/// later store of the same hash reuses. When live plus dead slots pass the load limit the writer copies the live ones
/// into a fresh array and publishes it; readers still probing the old array finish on a consistent, slightly stale view.</para>
/// <para>All writes must be serialized by the caller.</para>
/// </remarks>
internal sealed class BlockTable
{
    private const int MinCapacity = 16;
    private const double MaxLoad = 0.7;
    private const double TargetLoad = 0.35;

    private Snapshot _current = new(MinCapacity);
    private int _occupied;
    private long _live;

    /// <summary>Hashes held by at least one engine (readable from any thread).</summary>
    public long LiveCount => Volatile.Read(ref _live);

    /// <summary>Slots in the current array (for tests).</summary>
    public int Capacity => _current.Capacity;

    /// <summary>The table as of now, for a lock-free lookup.</summary>
    public Snapshot Current
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Volatile.Read(ref _current);
    }

    /// <summary>Marks <paramref name="ordinal"/> as holding <paramref name="key"/> (writer only).</summary>
    public void Set(ulong key, int ordinal)
    {
        var table = _current;
        ref var slot = ref table.FindForWrite(key, out var found);
        var wasEmpty = !found || IsEmpty(ref slot);
        var bit = 1UL << (ordinal & 63);
        var word = ordinal >> 6;
        if (word == 0)
        {
            Volatile.Write(ref slot.Low, slot.Low | bit);
        }
        else
        {
            var high = slot.High;
            if (high is null || word > high.Length)
            {
                var grown = new ulong[word];
                high?.CopyTo(grown, 0);
                grown[word - 1] = bit;
                Volatile.Write(ref slot.High, grown);
            }
            else
            {
                Volatile.Write(ref high[word - 1], high[word - 1] | bit);
            }
        }

        if (!found)
        {
            // Publish the key last: a reader that matches it already sees the bits.
            Volatile.Write(ref slot.Key, key);
            if (key != 0)
                _occupied++;
        }

        if (wasEmpty)
            Volatile.Write(ref _live, _live + 1);
        if (_occupied > table.Capacity * MaxLoad)
            Rehash();
    }

    /// <summary>Marks <paramref name="ordinal"/> as no longer holding <paramref name="key"/> (writer only).</summary>
    public void Clear(ulong key, int ordinal)
    {
        ref var slot = ref _current.FindForWrite(key, out var found);
        if (!found || IsEmpty(ref slot))
            return;
        var bit = 1UL << (ordinal & 63);
        var word = ordinal >> 6;
        if (word == 0)
            Volatile.Write(ref slot.Low, slot.Low & ~bit);
        else if (slot.High is { } high && word <= high.Length)
            Volatile.Write(ref high[word - 1], high[word - 1] & ~bit);
        if (IsEmpty(ref slot))
            Volatile.Write(ref _live, _live - 1);
    }

    private static bool IsEmpty(ref BlockSlot slot)
    {
        if (slot.Low != 0)
            return false;
        if (slot.High is { } high)
        {
            foreach (var word in high)
            {
                if (word != 0)
                    return false;
            }
        }

        return true;
    }

    private void Rehash()
    {
        var old = _current;
        var capacity = MinCapacity;
        while (capacity * TargetLoad < _live)
            capacity <<= 1;
        var fresh = new Snapshot(capacity);
        var occupied = 0;
        for (var i = 0; i <= old.Capacity; i++)
        {
            ref var from = ref old.Slots[i];
            if (i < old.Capacity && from.Key == 0)
                continue;
            if (IsEmpty(ref from))
                continue;
            ref var to = ref fresh.FindForWrite(from.Key, out _);
            to.Low = from.Low;
            // Shared with the old array: only the writer mutates it, and old readers may as well see fresh bits.
            to.High = from.High;
            to.Key = from.Key;
            if (from.Key != 0)
                occupied++;
        }

        _occupied = occupied;
        Volatile.Write(ref _current, fresh);
    }

    /// <summary>One immutable-shape array of slots; readers probe it, the writer mutates bits in place.</summary>
    internal sealed class Snapshot
    {
        private readonly int _shift;
        private readonly int _mask;

        public Snapshot(int capacity)
        {
            Capacity = capacity;
            _mask = capacity - 1;
            _shift = 64 - int.Log2(capacity);
            // One extra slot at the end for the hash 0, whose key cannot mark occupancy.
            Slots = new BlockSlot[capacity + 1];
        }

        public int Capacity { get; }

        public BlockSlot[] Slots { get; }

        /// <summary>The bits of <paramref name="key"/>: false when no engine holds it.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public bool TryGet(ulong key, out ulong low, out ulong[]? high)
        {
            var slots = Slots;
            if (key != 0)
            {
                var i = (int)((key * 0x9E3779B97F4A7C15UL) >> _shift);
                while (true)
                {
                    ref var slot = ref slots[i];
                    var k = Volatile.Read(ref slot.Key);
                    if (k == key)
                        return Read(ref slot, out low, out high);
                    if (k == 0)
                        break;
                    i = (i + 1) & _mask;
                }

                low = 0;
                high = null;
                return false;
            }

            return Read(ref slots[Capacity], out low, out high);
        }

        /// <summary>The slot of <paramref name="key"/>, or the empty slot where it would go (writer only).</summary>
        public ref BlockSlot FindForWrite(ulong key, out bool found)
        {
            if (key == 0)
            {
                ref var zero = ref Slots[Capacity];
                found = zero.Low != 0 || zero.High is not null;
                return ref zero;
            }

            var i = (int)((key * 0x9E3779B97F4A7C15UL) >> _shift);
            while (true)
            {
                ref var slot = ref Slots[i];
                if (slot.Key == key || slot.Key == 0)
                {
                    found = slot.Key == key;
                    return ref slot;
                }

                i = (i + 1) & _mask;
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static bool Read(ref BlockSlot slot, out ulong low, out ulong[]? high)
        {
            low = Volatile.Read(ref slot.Low);
            high = Volatile.Read(ref slot.High);
            return low != 0 || high is not null;
        }
    }
}
