namespace DisaggServing.Engine.Scheduling;

/// <summary>
/// One request's KV blocks in token order (vLLM's per-request block table). Only the
/// <see cref="KvCacheManager"/> changes it.
/// </summary>
public sealed class KvBlockTable
{
    private int[] _ids = [];
    // Filled by a pool that only counts its blocks: every entry is block 0 and no ids are stored.
    private bool _counted;

    /// <summary>Blocks held.</summary>
    public int Count { get; private set; }

    /// <summary>
    /// Leading blocks that the prefix cache already knows about (hit on admission or registered when full);
    /// blocks after this are candidates for registration.
    /// </summary>
    public int NumCachedBlocks { get; internal set; }

    /// <summary>Block id at <paramref name="index"/> (0 = first block of the prompt).</summary>
    public int this[int index] => (uint)index < (uint)Count ? (_counted ? 0 : _ids[index]) : throw new ArgumentOutOfRangeException(nameof(index));

    /// <summary>The block ids, valid until the table next changes.</summary>
    public ReadOnlySpan<int> AsSpan() => _counted ? new int[Count] : _ids.AsSpan(0, Count);

    /// <summary>A copy of the block ids (e.g. for vLLM's <c>remote_block_ids</c>).</summary>
    public int[] ToArray() => AsSpan().ToArray();

    /// <summary>Grows the backing array once to <paramref name="blocks"/>, so steps never resize it.</summary>
    internal void EnsureCapacity(int blocks)
    {
        if (_ids.Length < blocks)
            Array.Resize(ref _ids, blocks);
    }

    internal void Add(int blockId)
    {
        if (Count == _ids.Length)
            Array.Resize(ref _ids, Math.Max(4, _ids.Length * 2));
        _ids[Count++] = blockId;
    }

    /// <summary>Counts <paramref name="blocks"/> more blocks without their ids (see <see cref="KvCacheManager"/>'s counting pool).</summary>
    internal void AddCounted(int blocks)
    {
        _counted = true;
        Count += blocks;
    }

    /// <summary>
    /// Blocks held for the request's recurrent state (a hybrid model's linear-attention layers, <see cref="KvCacheManager.StateBlocksPerTable"/>)
    /// beside its token slots: not in <see cref="Count"/>, never cached.
    /// </summary>
    public int StateBlocks { get; private set; }

    // The state blocks' ids, where the pool tracks ids.
    private int[]? _stateIds;

    internal ReadOnlySpan<int> StateIds => _stateIds is null ? [] : _stateIds.AsSpan(0, StateBlocks);

    internal void AddState(int blockId)
    {
        _stateIds ??= new int[4];
        if (StateBlocks == _stateIds.Length)
            Array.Resize(ref _stateIds, _stateIds.Length * 2);
        _stateIds[StateBlocks++] = blockId;
    }

    internal void AddCountedState(int blocks) => StateBlocks += blocks;

    internal void Clear()
    {
        Count = 0;
        NumCachedBlocks = 0;
        StateBlocks = 0;
    }
}
