using System.Net;
using System.Net.Sockets;
using DisaggServing.Router.Configuration;
using DisaggServing.Router.Endpoints;
using DisaggServing.Router.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DisaggServing.Router.Discovery;

/// <summary>
/// Resolves the <c>dns:///host:port</c> entries of <c>Router:Prefill</c> / <c>Router:Decode</c> every
/// <c>Router:DnsRefreshIntervalMs</c> and makes each address an engine of its pools.
/// </summary>
public sealed partial class DnsRefreshService(
    IDnsResolver resolver, EndpointCatalog catalog, IOptions<RouterOptions> options, TimeProvider time, ILogger<DnsRefreshService> logger)
    : BackgroundService
{
    private readonly HashSet<EngineSource> _failing = [];

    /// <summary>Resolves every DNS entry once (also used by tests).</summary>
    public Task RefreshAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(catalog.DnsSources.Select(source => RefreshAsync(source, cancellationToken)));

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        catalog.DnsSources.Count == 0 ? Task.CompletedTask
            : PollingLoop.RunAsync(TimeSpan.FromMilliseconds(Math.Max(100, options.Value.DnsRefreshIntervalMs)), time, RefreshAsync, onFailure: null, stoppingToken);

    private async Task RefreshAsync(EngineSource source, CancellationToken cancellationToken)
    {
        IPAddress[] addresses;
        try
        {
            addresses = await resolver.ResolveAsync(source.DnsHost!, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.HostNotFound or SocketError.NoData)
        {
            // An authoritative "no such name": a headless Service with no ready pod answers so; its engines are gone.
            addresses = [];
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // A lookup that failed says nothing about the engines: keep the last known ones.
            bool first;
            lock (_failing) first = _failing.Add(source);
            if (first) LogResolveFailed(logger, source.ToString(), ex.Message);
            return;
        }
        lock (_failing) _failing.Remove(source);
        if (catalog.ApplyDns(source, addresses)) LogResolved(logger, source.ToString(), addresses.Length);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Source} now resolves to {Count} engine address(es)")]
    private static partial void LogResolved(ILogger logger, string source, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Resolving {Source} failed ({Error}); keeping its last known engines")]
    private static partial void LogResolveFailed(ILogger logger, string source, string error);
}
