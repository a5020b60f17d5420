using DisaggServing.Router.Configuration;
using DisaggServing.Router.Endpoints;
using DisaggServing.Router.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DisaggServing.Router.Discovery;

/// <summary>Lists the KV-transfer registry every <c>Router:DiscoveryIntervalMs</c> and applies it to the endpoint catalog.</summary>
public sealed partial class DiscoveryService(
    IEngineDirectory directory, EndpointCatalog catalog, IOptions<RouterOptions> options, TimeProvider time, ILogger<DiscoveryService> logger)
    : BackgroundService
{
    /// <summary>Runs one listing now (also used by tests).</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var engines = await directory.ListAsync(cancellationToken).ConfigureAwait(false);
        catalog.ApplyDiscovery(engines, applyLoad: options.Value.MetricsScrapeIntervalMs <= 0);
    }

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PollingLoop.RunAsync(TimeSpan.FromMilliseconds(Math.Max(100, options.Value.DiscoveryIntervalMs)), time, RefreshAsync,
            (ex, first) => { if (first) LogListFailed(logger, ex.Message); }, stoppingToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listing the engine registry failed ({Error}); keeping the last known engines")]
    private static partial void LogListFailed(ILogger logger, string error);
}
