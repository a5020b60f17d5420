namespace DisaggServing.KvTransfer.KvEvents;

/// <summary>
/// A decoded <c>KVEventBatch</c>: reused from batch to batch by one decoder, so steady-state decoding allocates nothing.
/// </summary>
internal sealed class VllmKvEventBatch
{
    /// <summary>Publisher timestamp (seconds since the epoch), 0 when absent.</summary>
    public double Timestamp { get; set; }

    /// <summary>data_parallel_rank, or -1 when absent.</summary>
    public int DataParallelRank { get; set; } = -1;

    /// <summary>The events, in order.</summary>
    public List<VllmKvEvent> Events { get; } = [];

    /// <summary>Every event's block hashes as index keys, concatenated.</summary>
    public List<ulong> Hashes { get; } = [];

    /// <summary>Every event's token ids, concatenated.</summary>
    public List<int> Tokens { get; } = [];

    /// <summary>Empties the batch for the next decode.</summary>
    public void Clear()
    {
        Timestamp = 0;
        DataParallelRank = -1;
        Events.Clear();
        Hashes.Clear();
        Tokens.Clear();
    }
}
