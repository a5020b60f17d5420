namespace DisaggServing.KvTransfer.Index;

/// <summary>One KV event of an engine: blocks stored or removed (by chained block hash), or all cleared.</summary>
/// <param name="Kind">What happened.</param>
/// <param name="Hashes">The blocks' hashes (empty for <see cref="KvBlockEventKind.Cleared"/>).</param>
public readonly record struct KvBlockEvent(KvBlockEventKind Kind, ReadOnlyMemory<ulong> Hashes)
{
    /// <summary>Blocks <paramref name="hashes"/> were cached.</summary>
    public static KvBlockEvent Stored(params ulong[] hashes) => new(KvBlockEventKind.Stored, hashes);

    /// <summary>Blocks <paramref name="hashes"/> were evicted.</summary>
    public static KvBlockEvent Removed(params ulong[] hashes) => new(KvBlockEventKind.Removed, hashes);

    /// <summary>Every block of the engine was dropped.</summary>
    public static KvBlockEvent Cleared() => new(KvBlockEventKind.Cleared, ReadOnlyMemory<ulong>.Empty);
}
