using DisaggServing.Protocol.KvTransfer;
using DisaggServing.Router.Scheduling;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace DisaggServing.Router.Discovery;

/// <summary>Prefix lookups against the KV-transfer service's <c>KvIndex.FindLongestPrefix</c>, with a short deadline.</summary>
public sealed partial class KvIndexPrefixIndex(KvIndex.KvIndexClient client, TimeSpan timeout, ILogger<KvIndexPrefixIndex> logger) : IPrefixIndex
{
    private static readonly IReadOnlyDictionary<string, int> Nothing = new Dictionary<string, int>();

    /// <inheritdoc />
    public bool IsEnabled => true;

    /// <inheritdoc />
    public async ValueTask<IReadOnlyDictionary<string, int>> FindLongestPrefixAsync(ulong[] blockHashes, CancellationToken cancellationToken) =>
        (await LookupAsync(blockHashes, cancellationToken).ConfigureAwait(false)).Matches;

    /// <inheritdoc />
    public async ValueTask<PrefixLookup> LookupAsync(ulong[] blockHashes, CancellationToken cancellationToken)
    {
        if (blockHashes.Length == 0) return new PrefixLookup(Nothing, []);
        var query = new PrefixQuery();
        query.BlockHashes.Add(blockHashes);
        try
        {
            var reply = await client.FindLongestPrefixAsync(query, deadline: DateTime.UtcNow + timeout, cancellationToken: cancellationToken).ConfigureAwait(false);
            string[] fed = [.. reply.EventFedEngines];
            if (reply.Matches.Count == 0) return new PrefixLookup(Nothing, fed);
            var matches = new Dictionary<string, int>(reply.Matches.Count, StringComparer.Ordinal);
            foreach (var match in reply.Matches)
                if (match.MatchedBlocks > 0)
                    matches[match.EngineId] = match.MatchedBlocks;
            return new PrefixLookup(matches, fed);
        }
        catch (RpcException ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogLookupFailed(logger, ex.StatusCode, ex.Status.Detail);
            return new PrefixLookup(Nothing, []);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "KV index lookup failed ({Status}: {Detail}); scheduling without prefix data")]
    private static partial void LogLookupFailed(ILogger logger, StatusCode status, string detail);
}
