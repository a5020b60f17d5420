namespace DisaggServing.KvTransfer.KvEvents;

/// <summary>The event types of vLLM's <c>KVEventBatch</c> (msgspec tags).</summary>
internal enum VllmKvEventKind
{
    /// <summary>An event whose tag this service does not know (a newer vLLM): skipped.</summary>
    Unknown,

    /// <summary><c>BlockStored</c>.</summary>
    BlockStored,

    /// <summary><c>BlockRemoved</c>.</summary>
    BlockRemoved,

    /// <summary><c>AllBlocksCleared</c>.</summary>
    AllBlocksCleared,
}
