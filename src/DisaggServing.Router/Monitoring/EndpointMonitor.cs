using System.Text.Json;
using DisaggServing.Router.Configuration;
using DisaggServing.Router.Endpoints;
using DisaggServing.Router.Hosting;
using DisaggServing.Router.Models;
using DisaggServing.Scheduling;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace DisaggServing.Router.Monitoring;

/// <summary>
/// Background probes of every engine: <c>/health</c> every <c>Router:HealthCheckIntervalMs</c> (feeds the health filter;
/// <c>Router:HealthCheckFailureThreshold</c> unanswered probes in a row, or one refusal or non-2xx answer, mark it unhealthy),
/// <c>/metrics</c> every <c>Router:MetricsScrapeIntervalMs</c> (feeds least-load), and <c>/v1/models</c> until the model
/// catalog has what it needs (with <c>Router:WorkerApiKey</c>, which vLLM's <c>--api-key</c> requires there).
/// </summary>
public sealed class EndpointMonitor(
    EndpointCatalog catalog, ModelCatalog models, IOptions<RouterOptions> options, TimeProvider time) : BackgroundService
{
    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        UseProxy = false,
        AllowAutoRedirect = false,
        UseCookies = false,
        ConnectTimeout = TimeSpan.FromSeconds(2),
        PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
    })
    { Timeout = TimeSpan.FromMilliseconds(Math.Max(2000, options.Value.HealthCheckTimeoutMs)) };

    /// <summary>Probes every endpoint's <c>/health</c> once.</summary>
    public Task ProbeHealthAsync(CancellationToken cancellationToken) =>
        ForEachAsync(async endpoint =>
        {
            var threshold = options.Value.HealthCheckFailureThreshold;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromMilliseconds(Math.Max(1, options.Value.HealthCheckTimeoutMs)));
            try
            {
                using var response = await _http.GetAsync(endpoint.HealthUri, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
                endpoint.RecordProbe(response.IsSuccessStatusCode ? EndpointHealth.Healthy : EndpointHealth.Unhealthy, threshold);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                endpoint.RecordProbe(null, threshold); // no answer in time: the host may only be busy
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                endpoint.RecordProbe(EndpointHealth.Unhealthy, threshold); // refused or reset: nothing is listening
            }
        });

    /// <summary>Scrapes every endpoint's <c>/metrics</c> once.</summary>
    public Task ScrapeMetricsAsync(CancellationToken cancellationToken) =>
        ForEachAsync(async endpoint =>
        {
            try
            {
                var text = await _http.GetStringAsync(endpoint.Metrics, cancellationToken).ConfigureAwait(false);
                endpoint.Load = VllmMetricsParser.Parse(text);
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                // Keep the last load; the health probe decides availability.
            }
        });

    /// <summary>Asks decode engines (then prefill engines) for <c>/v1/models</c> until one answers.</summary>
    public async Task FetchModelsAsync(CancellationToken cancellationToken)
    {
        if (!models.WantsWorkerModels) return;
        foreach (var endpoint in (EngineEndpoint[])[.. catalog.Decode.Snapshot, .. catalog.Prefill.Snapshot])
        {
            try
            {
                // vLLM's --api-key guards /v1/* (not /health or /metrics): the model list needs the engines' key.
                using var request = new HttpRequestMessage(HttpMethod.Get, endpoint.Models);
                if (!string.IsNullOrWhiteSpace(options.Value.WorkerApiKey))
                    request.Headers.TryAddWithoutValidation(Protocol.HeaderNames.Authorization, "Bearer " + options.Value.WorkerApiKey.Trim());
                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
                response.EnsureSuccessStatusCode();
                await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                using var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
                if (models.ApplyWorkerModels(document.RootElement)) return;
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                // Try the next engine.
            }
        }
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        _http.Dispose();
        base.Dispose();
    }

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var health = options.Value.HealthCheckIntervalMs;
        var scrape = options.Value.MetricsScrapeIntervalMs;
        return Task.WhenAll(
            LoopAsync(health, async ct => { await ProbeHealthAsync(ct).ConfigureAwait(false); await FetchModelsAsync(ct).ConfigureAwait(false); }, stoppingToken),
            LoopAsync(scrape, ScrapeMetricsAsync, stoppingToken),
            health > 0 ? Task.CompletedTask : LoopAsync(2000, FetchModelsAsync, stoppingToken));
    }

    private Task LoopAsync(int intervalMs, Func<CancellationToken, Task> work, CancellationToken stoppingToken) =>
        intervalMs <= 0 ? Task.CompletedTask
            : PollingLoop.RunAsync(TimeSpan.FromMilliseconds(Math.Max(50, intervalMs)), time, work, onFailure: null, stoppingToken);

    private Task ForEachAsync(Func<EngineEndpoint, Task> probe)
    {
        var endpoints = catalog.All;
        if (endpoints.Count == 0) return Task.CompletedTask;
        var tasks = new List<Task>(endpoints.Count);
        foreach (var endpoint in endpoints) tasks.Add(probe(endpoint));
        return Task.WhenAll(tasks);
    }
}
