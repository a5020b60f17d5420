namespace DisaggServing.KvTransfer.KvEvents;

/// <summary>Counters of one engine's KV-event ingest (written by its subscription thread only, read as a snapshot).</summary>
public sealed class KvEventIngestStats
{
    /// <summary>Batches applied to the index.</summary>
    public long Batches { get; set; }

    /// <summary>Events decoded (all kinds).</summary>
    public long Events { get; set; }

    /// <summary>Blocks newly indexed.</summary>
    public long BlocksStored { get; set; }

    /// <summary>Blocks removed from the index.</summary>
    public long BlocksRemoved { get; set; }

    /// <summary>AllBlocksCleared events.</summary>
    public long Clears { get; set; }

    /// <summary>Sequence gaps seen (missed, repeated or restarted sequence numbers).</summary>
    public long Gaps { get; set; }

    /// <summary>Batches recovered through the publisher's replay socket.</summary>
    public long Replayed { get; set; }

    /// <summary>Times the engine's blocks were dropped to resync (a gap the replay could not fill, or an engine restart).</summary>
    public long Resyncs { get; set; }

    /// <summary>Frames that were not a KV event message (wrong frame count, bad sequence, not msgpack): logged and dropped.</summary>
    public long MalformedFrames { get; set; }

    /// <summary>Events with a field of the wrong type: dropped.</summary>
    public long MalformedEvents { get; set; }

    /// <summary>Events of a type this service does not know (a newer vLLM).</summary>
    public long UnknownEvents { get; set; }

    /// <summary>Events not indexed on purpose: offloaded media, non-main KV cache groups, no tokens to rebuild the chain.</summary>
    public long SkippedEvents { get; set; }

    /// <summary>Blocks whose parent was never seen (stored before the subscription started): not indexed.</summary>
    public long OrphanBlocks { get; set; }

    /// <summary>Blocks hashed with extra keys (LoRA, multimodal, cache salt): not indexed.</summary>
    public long KeyedBlocks { get; set; }

    /// <summary>The engine's own block hashes proved equal to the index's keys (same algorithm and seed): used as they are.</summary>
    public bool EngineHashesVerified { get; set; }

    /// <summary>The last sequence number applied, or -1.</summary>
    public long LastSequence { get; set; } = -1;

    /// <summary>A copy, for views.</summary>
    public KvEventIngestStats Snapshot() => (KvEventIngestStats)MemberwiseClone();
}
