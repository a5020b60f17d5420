using DisaggServing.Scheduling;

namespace DisaggServing.Router.Tests.Unit;

/// <summary>A KV index answering fixed matches and counting lookups.</summary>
internal sealed class FakePrefixIndex(Dictionary<string, int>? matches = null, bool enabled = true) : IPrefixIndex
{
    public int Lookups { get; private set; }

    public bool IsEnabled => enabled;

    public ValueTask<IReadOnlyDictionary<string, int>> FindLongestPrefixAsync(ulong[] blockHashes, CancellationToken cancellationToken)
    {
        Lookups++;
        return ValueTask.FromResult<IReadOnlyDictionary<string, int>>(matches ?? []);
    }
}
