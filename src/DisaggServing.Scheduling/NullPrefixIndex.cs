namespace DisaggServing.Scheduling;

/// <summary>No KV index: no prefix hits.</summary>
public sealed class NullPrefixIndex : IPrefixIndex
{
    private static readonly IReadOnlyDictionary<string, int> Nothing = new Dictionary<string, int>();

    /// <inheritdoc />
    public bool IsEnabled => false;

    /// <inheritdoc />
    public ValueTask<IReadOnlyDictionary<string, int>> FindLongestPrefixAsync(ulong[] blockHashes, CancellationToken cancellationToken) =>
        ValueTask.FromResult(Nothing);
}
