
namespace DisaggServing.Scheduling;

/// <summary>Longest cached prefix per engine for a prompt's block hashes (the KV-transfer service's KvIndex).</summary>
public interface IPrefixIndex
{
    /// <summary>Whether lookups are possible at all (a KV-transfer URL is configured, or the routing history is kept).</summary>
    bool IsEnabled { get; }

    /// <summary>Matched leading blocks per engine id (or host:port); empty when unknown or on failure (never throws but for cancellation).</summary>
    ValueTask<IReadOnlyDictionary<string, int>> FindLongestPrefixAsync(ulong[] blockHashes, CancellationToken cancellationToken);

    /// <summary>
    /// The matches plus which engines' KV events the index holds (<see cref="PrefixLookup.EventFed"/>). The default
    /// knows only the matched engines to be event-fed.
    /// </summary>
    async ValueTask<PrefixLookup> LookupAsync(ulong[] blockHashes, CancellationToken cancellationToken) =>
        new(await FindLongestPrefixAsync(blockHashes, cancellationToken).ConfigureAwait(false), []);

    /// <summary>The router sent a prompt of <paramref name="blockHashes"/> to <paramref name="endpoint"/> (for history-based estimates).</summary>
    void Routed(ISchedulingCandidate endpoint, ulong[] blockHashes)
    {
    }
}
