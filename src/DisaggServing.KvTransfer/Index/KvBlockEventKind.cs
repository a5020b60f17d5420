namespace DisaggServing.KvTransfer.Index;

/// <summary>The KV events vLLM engines publish.</summary>
public enum KvBlockEventKind
{
    /// <summary>Blocks were cached (BlockStored).</summary>
    Stored,

    /// <summary>Blocks were evicted (BlockRemoved).</summary>
    Removed,

    /// <summary>The engine dropped its whole prefix cache (AllBlocksCleared).</summary>
    Cleared,
}
