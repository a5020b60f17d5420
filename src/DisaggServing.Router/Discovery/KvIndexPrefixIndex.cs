using DisaggServing.Protocol.KvTransfer;
using DisaggServing.Scheduling;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace DisaggServing.Router.Discovery;

/// <summary>
/// Prefix lookups against the KV-transfer service's <c>KvIndex.FindLongestPrefix</c>, with a short deadline. While the
/// service is down (a lookup failed), lookups are skipped for <see cref="RetryAfter"/> and requests are scheduled on
/// load alone (and the routing history), so an outage costs no request a deadline; the next lookup after that tries again.
/// </summary>
public sealed partial class KvIndexPrefixIndex(KvIndex.KvIndexClient client, TimeSpan timeout, ILogger<KvIndexPrefixIndex> logger) : IPrefixIndex
{
    /// <summary>How long lookups are skipped after one failed.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(1);

    private static readonly IReadOnlyDictionary<string, int> Nothing = new Dictionary<string, int>();
    private long _skipUntil; // Environment.TickCount64 ms; 0 = the service answered last time

    /// <inheritdoc />
    public bool IsEnabled => true;

    /// <inheritdoc />
    public async ValueTask<IReadOnlyDictionary<string, int>> FindLongestPrefixAsync(ulong[] blockHashes, CancellationToken cancellationToken) =>
        (await LookupAsync(blockHashes, cancellationToken).ConfigureAwait(false)).Matches;

    /// <inheritdoc />
    public async ValueTask<PrefixLookup> LookupAsync(ulong[] blockHashes, CancellationToken cancellationToken)
    {
        if (blockHashes.Length == 0) return new PrefixLookup(Nothing, []);
        var skipUntil = Volatile.Read(ref _skipUntil);
        if (skipUntil != 0 && Environment.TickCount64 < skipUntil) return new PrefixLookup(Nothing, []);
        var query = new PrefixQuery();
        query.BlockHashes.Add(blockHashes);
        try
        {
            var reply = await client.FindLongestPrefixAsync(query, deadline: DateTime.UtcNow + timeout, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (Interlocked.Exchange(ref _skipUntil, 0) != 0) LogRecovered(logger);
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
            if (Interlocked.Exchange(ref _skipUntil, Environment.TickCount64 + (long)RetryAfter.TotalMilliseconds) == 0)
                LogLookupFailed(logger, ex.StatusCode, ex.Status.Detail);
            return new PrefixLookup(Nothing, []);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "KV index lookup failed ({Status}: {Detail}); scheduling on load alone until the KV-transfer service answers again")]
    private static partial void LogLookupFailed(ILogger logger, StatusCode status, string detail);

    [LoggerMessage(Level = LogLevel.Information, Message = "The KV-transfer service answers again: prefix-aware routing resumes")]
    private static partial void LogRecovered(ILogger logger);
}
