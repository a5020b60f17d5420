namespace DisaggServing.KvTransfer.KvEvents;

/// <summary>
/// One decoded vLLM KV event. Its block hashes (as index keys) and token ids live in the owning
/// <see cref="VllmKvEventBatch"/>'s flat buffers, at <see cref="HashStart"/> and <see cref="TokenStart"/>.
/// </summary>
internal struct VllmKvEvent
{
    /// <summary>The tag.</summary>
    public VllmKvEventKind Kind;

    /// <summary>First of this event's block hashes in <see cref="VllmKvEventBatch.Hashes"/>.</summary>
    public int HashStart;

    /// <summary>How many block hashes.</summary>
    public int HashCount;

    /// <summary>First of this event's token ids in <see cref="VllmKvEventBatch.Tokens"/>.</summary>
    public int TokenStart;

    /// <summary>How many token ids (BlockStored: the new blocks' tokens, in order).</summary>
    public int TokenCount;

    /// <summary>Whether <see cref="Parent"/> is set (BlockStored whose first block continues a cached one).</summary>
    public bool HasParent;

    /// <summary>The parent block's hash as an index key.</summary>
    public ulong Parent;

    /// <summary>BlockStored's block_size (0 when absent).</summary>
    public int BlockSize;

    /// <summary>medium is set and is not the GPU (a CPU / disk offload tier).</summary>
    public bool OffDevice;

    /// <summary>group_idx, or -1 when absent (single-group models, older vLLM).</summary>
    public int GroupIndex;

    /// <summary>
    /// Index of the first block whose vLLM hash includes extra keys (LoRA name, multimodal items, cache salt,
    /// prompt embeddings), or <see cref="int.MaxValue"/> when none: such blocks cannot be reproduced from tokens.
    /// </summary>
    public int FirstKeyedBlock;

    /// <summary>A field had the wrong type: the event is not applied.</summary>
    public bool Malformed;
}
