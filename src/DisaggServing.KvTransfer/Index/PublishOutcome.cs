namespace DisaggServing.KvTransfer.Index;

/// <summary>What the index did with an engine's batch of KV events.</summary>
public enum PublishOutcome
{
    /// <summary>The batch continued the engine's sequence (or started it) and was applied.</summary>
    Applied,

    /// <summary>
    /// The sequence broke (a gap, a repeat or a restart): the engine's blocks were cleared so nothing stale is
    /// served, the batch was dropped, and the engine's next batch starts a new sequence. The engine should send a
    /// full snapshot (AllBlocksCleared, then BlockStored of every cached block).
    /// </summary>
    ResyncRequired,

    /// <summary>The engine is not registered; nothing was indexed (it must register first).</summary>
    UnknownEngine,
}
