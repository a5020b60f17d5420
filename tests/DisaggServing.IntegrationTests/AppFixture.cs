using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace DisaggServing.IntegrationTests;

/// <summary>
/// Starts the whole AppHost once per test class (2 prefill + 2 decode workers, router, KV-transfer), with the
/// simulated GPUs sped up so tests spend little time waiting on simulated steps.
/// </summary>
public sealed class AppFixture : IAsyncLifetime
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(60);

    public static readonly string[] Workers = ["prefill-0", "prefill-1", "decode-0", "decode-1"];

    private DistributedApplication? _app;

    public DistributedApplication App => _app ?? throw new InvalidOperationException("not started");

    public HttpClient Router { get; private set; } = null!;

    public string Model => "meta-llama/Llama-3.3-70B-Instruct";

    public TimeSpan StartedIn { get; private set; }

    public async Task InitializeAsync()
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.DisaggServing_AppHost>(
        [
            "--Topology:Local:SpeedFactor=20",
            "--Topology:Router:Port=18000",
            "--Topology:KvTransfer:LeaseSeconds=30",
        ]);
        _app = await builder.BuildAsync().WaitAsync(StartTimeout);
        using var cts = new CancellationTokenSource(StartTimeout);
        await _app.StartAsync(cts.Token);
        foreach (var name in Workers.Append("kvtransfer").Append("router"))
            await _app.ResourceNotifications.WaitForResourceHealthyAsync(name, cts.Token);
        StartedIn = started.Elapsed;
        Router = _app.CreateHttpClient("router", "http");
        Router.Timeout = RequestTimeout;
    }

    public HttpClient Worker(string name)
    {
        var client = App.CreateHttpClient(name, "http");
        client.Timeout = RequestTimeout;
        return client;
    }

    /// <summary>A worker's /admin/state.</summary>
    public async Task<JsonElement> StateOf(string worker) =>
        await Worker(worker).GetFromJsonAsync<JsonElement>("/admin/state");

    /// <summary>The value of one Prometheus sample on a worker (sum over matching label sets; 0 when absent).</summary>
    public async Task<double> Metric(string worker, string name, string? labelFilter = null)
    {
        var text = await Worker(worker).GetStringAsync("/metrics");
        double sum = 0;
        foreach (var line in text.Split('\n'))
        {
            if (!line.StartsWith(name, StringComparison.Ordinal) || line.Length <= name.Length) continue;
            var rest = line[name.Length..];
            if (rest[0] != ' ' && rest[0] != '{') continue;
            if (labelFilter is not null && !rest.Contains(labelFilter, StringComparison.Ordinal)) continue;
            sum += double.Parse(rest[(rest.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        }
        return sum;
    }

    public async Task DisposeAsync()
    {
        Router?.Dispose();
        if (_app is not null) await _app.DisposeAsync();
    }
}
