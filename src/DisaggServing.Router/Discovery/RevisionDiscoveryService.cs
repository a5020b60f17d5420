using DisaggServing.Router.Endpoints;
using DisaggServing.Router.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DisaggServing.Router.Discovery;

/// <summary>
/// Lists engine revisions every <c>Router:Revisions:IntervalMs</c> and tags the endpoint catalog with them, so prefill
/// and decode are paired within one DisaggregatedSet revision during a rollout. Until the first listing succeeds the
/// catalog routes without revisions; after that a failed listing keeps the last known revisions.
/// </summary>
public sealed partial class RevisionDiscoveryService(
    IRevisionSource source, EndpointCatalog catalog, RevisionOptions options, TimeProvider time, ILogger<RevisionDiscoveryService> logger)
    : BackgroundService
{
    private int _lastCount = -1;

    /// <summary>Lists once and applies the result (also used by tests).</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var revisions = await source.ListAsync(cancellationToken).ConfigureAwait(false);
        catalog.ApplyRevisions(revisions);
        var count = revisions.Values.Distinct(StringComparer.Ordinal).Count();
        if (Interlocked.Exchange(ref _lastCount, count) != count) LogRevisions(logger, options.DisaggregatedSet ?? "", count, revisions.Count);
    }

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PollingLoop.RunAsync(TimeSpan.FromMilliseconds(Math.Max(100, options.IntervalMs)), time, RefreshAsync,
            (ex, first) => { if (first) LogListFailed(logger, options.DisaggregatedSet ?? "", ex.Message); }, stoppingToken);

    [LoggerMessage(Level = LogLevel.Information, Message = "DisaggregatedSet {Set}: {Revisions} published revision(s) over {Hosts} engine host(s)")]
    private static partial void LogRevisions(ILogger logger, string set, int revisions, int hosts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listing the revisions of DisaggregatedSet {Set} failed ({Error}); keeping the last known ones")]
    private static partial void LogListFailed(ILogger logger, string set, string error);
}
