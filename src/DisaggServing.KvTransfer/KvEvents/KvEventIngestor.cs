using System.Buffers.Binary;
using DisaggServing.KvTransfer.Index;
using DisaggServing.Protocol.Kv;

namespace DisaggServing.KvTransfer.KvEvents;

/// <summary>
/// Feeds one vLLM engine's ZMQ KV-event messages (<c>[topic, sequence (8 bytes, big-endian), msgpack KVEventBatch]</c>)
/// into the shared <see cref="KvBlockIndex"/> under the engine's id — the same index the simulated Workers publish to.
/// </summary>
/// <remarks>
/// <para>Sequence numbers are checked: a gap is filled from the publisher's replay socket when one is configured;
/// otherwise (or when the replay buffer no longer reaches back) the engine's blocks are dropped and rebuilt from the
/// following events, so the index never serves blocks it may have missed the removal of. A sequence that goes back
/// (the engine restarted and counts from 0 again) resyncs too; batches that merely repeat replayed ones are dropped.</para>
/// <para>Malformed frames and payloads are counted and logged, never thrown. Not thread-safe: one subscription thread.</para>
/// </remarks>
internal sealed partial class KvEventIngestor
{
    private readonly KvBlockIndex _index;
    private readonly IKvEventReplay? _replay;
    private readonly ILogger _logger;
    private readonly EngineBlockMap _map;
    private readonly VllmKvEventBatch _batch = new();
    private readonly List<KvBlockEvent> _events = [];
    private ulong? _expected;
    private ulong? _replayedFrom;

    /// <summary>An ingestor for <paramref name="engineId"/> (the engine's HTTP authority, as the router dials it).</summary>
    public KvEventIngestor(string engineId, KvBlockIndex index, KvBlockHashScheme scheme, IKvEventReplay? replay, ILogger logger)
    {
        ArgumentException.ThrowIfNullOrEmpty(engineId);
        EngineId = engineId;
        _index = index;
        _replay = replay;
        _logger = logger;
        _map = new EngineBlockMap(scheme);
    }

    /// <summary>The engine id the blocks are indexed under.</summary>
    public string EngineId { get; }

    /// <summary>Counters (written by the subscription thread).</summary>
    public KvEventIngestStats Stats { get; } = new();

    /// <summary>Joins the index with no blocks (the engine counts as event-fed only from its first batch).</summary>
    public void Start() => _index.AddEngine(EngineId);

    /// <summary>Leaves the index, dropping the engine's blocks.</summary>
    public void Stop()
    {
        _index.RemoveEngine(EngineId);
        _map.Clear();
        _expected = null;
    }

    /// <summary>Handles one multipart message; never throws for bad input.</summary>
    /// <returns>True when the message's batch was applied to the index.</returns>
    public bool Ingest(IReadOnlyList<byte[]> frames)
    {
        if (frames.Count != 3 || frames[1].Length != 8)
        {
            Malformed($"expected 3 frames [topic, 8-byte sequence, payload], got {frames.Count} frame(s)" +
                (frames.Count == 3 ? $" with a {frames[1].Length}-byte sequence" : ""));
            return false;
        }

        var sequence = BinaryPrimitives.ReadUInt64BigEndian(frames[1]);
        if (_expected is { } expected && sequence != expected)
        {
            if (sequence < expected && sequence >= _replayedFrom)
                return false; // already applied from the replay buffer
            Stats.Gaps++;
            if (sequence <= expected || !TryReplay(expected, sequence))
                Resync(expected, sequence);
        }

        return Apply(sequence, frames[2]);
    }

    private bool Apply(ulong sequence, byte[] payload)
    {
        if (!VllmKvEventDecoder.TryDecode(payload, _batch, out var error))
        {
            // The batch's changes are lost: its sequence number is consumed, and the blocks may now be stale.
            Malformed(error!);
            Resync(sequence, sequence);
            _expected = unchecked(sequence + 1);
            return false;
        }

        _events.Clear();
        _map.Translate(_batch, _events, Stats);
        Stats.EngineHashesVerified = _map.EngineUsesScheme;
        var outcome = _index.Publish(EngineId, sequence, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_events));
        if (outcome != PublishOutcome.Applied)
        {
            // The index lost the engine's state on its own (re-added, or removed): start over from the next batch.
            LogIndexRefused(EngineId, sequence, outcome);
            _map.Clear();
            _index.AddEngine(EngineId);
            _expected = null;
            return false;
        }

        Stats.Batches++;
        Stats.LastSequence = (long)sequence;
        _expected = unchecked(sequence + 1);
        return true;
    }

    private bool TryReplay(ulong expected, ulong received)
    {
        if (_replay is null)
            return false;
        IReadOnlyList<(ulong Sequence, byte[] Payload)>? batches;
        try
        {
            batches = _replay.Fetch(expected);
        }
        catch (Exception e) when (e is NetMQ.NetMQException or InvalidOperationException or ArgumentException)
        {
            LogReplayFailed(EngineId, e.Message);
            return false;
        }

        if (batches is null || batches.Count == 0 || batches[0].Sequence != expected)
        {
            LogReplayShort(EngineId, expected, batches is { Count: > 0 } ? (long)batches[0].Sequence : -1);
            return false;
        }

        foreach (var (sequence, payload) in batches)
        {
            if (sequence >= received)
                break;
            if (sequence != _expected)
                return false;
            Stats.Replayed++;
            if (!Apply(sequence, payload))
                return false;
        }

        // Live batches the replay already covered may still be queued on the subscription: drop those.
        _replayedFrom = expected;
        return _expected == received;
    }

    private void Resync(ulong expected, ulong received)
    {
        Stats.Resyncs++;
        LogResync(EngineId, expected, received);
        _map.Clear();
        _index.AddEngine(EngineId);
        _expected = null;
        _replayedFrom = null;
    }

    private void Malformed(string reason)
    {
        Stats.MalformedFrames++;
        // The first, then every 1000th: a misbehaving publisher must not flood the log.
        if (Stats.MalformedFrames % 1000 == 1)
            LogMalformed(EngineId, reason, Stats.MalformedFrames);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "KV events of {EngineId}: dropped a malformed message ({Reason}); {Count} so far")]
    private partial void LogMalformed(string engineId, string reason, long count);

    [LoggerMessage(Level = LogLevel.Information, Message = "KV events of {EngineId}: sequence {Received} where {Expected} was due; dropped its blocks to resync from the following events")]
    private partial void LogResync(string engineId, ulong expected, ulong received);

    [LoggerMessage(Level = LogLevel.Information, Message = "KV events of {EngineId}: the replay buffer does not reach back to {Expected} (first buffered: {First})")]
    private partial void LogReplayShort(string engineId, ulong expected, long first);

    [LoggerMessage(Level = LogLevel.Warning, Message = "KV events of {EngineId}: replay request failed ({Error})")]
    private partial void LogReplayFailed(string engineId, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "KV events of {EngineId}: the index refused batch {Sequence} ({Outcome}); starting over")]
    private partial void LogIndexRefused(string engineId, ulong sequence, PublishOutcome outcome);
}
