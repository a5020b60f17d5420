using DisaggServing.Engine.Scheduling;

namespace DisaggServing.Engine.Tests.Scheduling;

/// <summary>Keeps every KV event, copied, for assertions.</summary>
public sealed class RecordingKvEventSink : IKvEventSink
{
    public List<RecordedKvEvent> Events { get; } = [];

    public void BlockStored(ReadOnlySpan<ulong> blockHashes, ulong? parentBlockHash, int blockSize) =>
        Events.Add(new RecordedKvEvent(RecordedKvEventKind.Stored, blockHashes.ToArray(), parentBlockHash, blockSize));

    public void BlockRemoved(ReadOnlySpan<ulong> blockHashes) =>
        Events.Add(new RecordedKvEvent(RecordedKvEventKind.Removed, blockHashes.ToArray(), null, 0));

    public void AllBlocksCleared() => Events.Add(new RecordedKvEvent(RecordedKvEventKind.Cleared, [], null, 0));
}
