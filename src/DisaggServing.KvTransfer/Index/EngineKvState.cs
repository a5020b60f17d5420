namespace DisaggServing.KvTransfer.Index;

/// <summary>The writer's view of one engine: its ordinal, the blocks it holds (to clear them) and its event sequence.</summary>
internal sealed class EngineKvState(string engineId, int ordinal)
{
    public string EngineId { get; } = engineId;

    public int Ordinal { get; } = ordinal;

    public HashSet<ulong> Blocks { get; } = [];

    /// <summary>The sequence number the next batch must carry; null until a batch starts the sequence.</summary>
    public ulong? NextSequence { get; set; }

    /// <summary>Whether a batch of this engine's events was ever applied (its blocks are known, not guessed).</summary>
    public bool EventFed { get; set; }
}
