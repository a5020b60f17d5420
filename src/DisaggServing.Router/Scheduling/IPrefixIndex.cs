namespace DisaggServing.Router.Scheduling;

/// <summary>Longest cached prefix per engine for a prompt's block hashes (the KV-transfer service's KvIndex).</summary>
public interface IPrefixIndex
{
    /// <summary>Whether lookups are possible at all (a KV-transfer URL is configured).</summary>
    bool IsEnabled { get; }

    /// <summary>Matched leading blocks per engine id; empty when unknown or on failure (never throws but for cancellation).</summary>
    ValueTask<IReadOnlyDictionary<string, int>> FindLongestPrefixAsync(ulong[] blockHashes, CancellationToken cancellationToken);
}
