namespace DisaggServing.Engine.Scheduling;

/// <summary>An <see cref="IKvEventSink"/> that ignores every event (the default when nobody listens).</summary>
public sealed class NullKvEventSink : IKvEventSink
{
    /// <summary>The shared instance.</summary>
    public static NullKvEventSink Instance { get; } = new();

    private NullKvEventSink()
    {
    }

    /// <inheritdoc />
    public void BlockStored(ReadOnlySpan<ulong> blockHashes, ulong? parentBlockHash, int blockSize)
    {
    }

    /// <inheritdoc />
    public void BlockRemoved(ReadOnlySpan<ulong> blockHashes)
    {
    }

    /// <inheritdoc />
    public void AllBlocksCleared()
    {
    }
}
