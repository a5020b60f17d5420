using System.Collections.Concurrent;

namespace DisaggServing.Scheduling;

/// <summary>
/// The KV index (<paramref name="events"/>: block-exact, fed by engines' KV events) with the router's
/// <paramref name="history"/> as the fallback for engines the index holds no events of — a real vLLM engine started
/// without <c>--kv-events-config</c>, or every engine while the KV-transfer service is unreachable. An engine the index
/// has events from is never estimated: there a missing match means "not cached".
/// </summary>
public sealed class HistoryBackedPrefixIndex(IPrefixIndex events, RoutingHistoryIndex history) : IPrefixIndex
{
    // History is kept per address (stable); the engine id an endpoint learned later names the same engine in the index.
    private readonly ConcurrentDictionary<string, string> _engineIds = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public bool IsEnabled => true;

    /// <inheritdoc />
    public async ValueTask<IReadOnlyDictionary<string, int>> FindLongestPrefixAsync(ulong[] blockHashes, CancellationToken cancellationToken) =>
        (await LookupAsync(blockHashes, cancellationToken).ConfigureAwait(false)).Matches;

    /// <inheritdoc />
    public async ValueTask<PrefixLookup> LookupAsync(ulong[] blockHashes, CancellationToken cancellationToken)
    {
        var exact = events.IsEnabled ? await events.LookupAsync(blockHashes, cancellationToken).ConfigureAwait(false) : null;
        var estimated = history.FindLongestPrefix(blockHashes);
        if (estimated.Count == 0)
            return exact ?? new PrefixLookup(estimated, []);
        var merged = new Dictionary<string, int>(StringComparer.Ordinal);
        if (exact is not null)
        {
            foreach (var (engine, blocks) in exact.Matches)
                merged[engine] = blocks;
        }

        var fed = exact?.EventFed ?? [];
        foreach (var (authority, blocks) in estimated)
        {
            if (IsKnown(authority, merged, fed) || (_engineIds.TryGetValue(authority, out var engineId) && IsKnown(engineId, merged, fed)))
                continue;
            merged[authority] = blocks;
        }

        return new PrefixLookup(merged, fed);
    }

    /// <inheritdoc />
    public void Routed(ISchedulingCandidate endpoint, ulong[] blockHashes)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        history.Record(endpoint.Authority, blockHashes);
        if (endpoint.EngineId is { } id)
            _engineIds[endpoint.Authority] = id;
        events.Routed(endpoint, blockHashes);
    }

    private static bool IsKnown(string engine, Dictionary<string, int> matches, IReadOnlyCollection<string> fed) =>
        matches.ContainsKey(engine) || fed.Contains(engine);
}
