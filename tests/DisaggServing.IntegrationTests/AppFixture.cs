using System.Text.Json;
using Aspire.Hosting;
using DisaggServing.Testing;

namespace DisaggServing.IntegrationTests;

/// <summary>
/// The whole AppHost (2 prefill + 2 decode workers, router, KV-transfer), started once per test class through the
/// testing kit with <see cref="Options"/>: simulated GPUs 20× faster, KV leases of 30 s, any free router port.
/// </summary>
public sealed class AppFixture : IAsyncLifetime
{
    /// <summary>The kit's start timeout, for fixtures that start the AppHost themselves.</summary>
    public static readonly TimeSpan StartTimeout = Options().StartTimeout;

    /// <summary>The kit's request timeout, for fixtures that make their own clients.</summary>
    public static readonly TimeSpan RequestTimeout = Options().RequestTimeout;

    public static readonly string[] Workers = ["prefill-0", "prefill-1", "decode-0", "decode-1"];

    private DisaggApp? _kit;

    /// <summary>What our integration tests start the AppHost with (a fresh object: callers may change it).</summary>
    public static DisaggTestOptions Options() => new() { SpeedFactor = 20, LeaseSeconds = 30 };

    public DisaggApp Kit => _kit ?? throw new InvalidOperationException("not started");

    public DistributedApplication App => Kit.App;

    public HttpClient Router => Kit.Router;

    public string Model => Kit.Model;

    public TimeSpan StartedIn => Kit.StartedIn;

    public async Task InitializeAsync() => _kit = await DisaggApp.StartAsync<Projects.DisaggServing_AppHost>(Options());

    public HttpClient Worker(string name) => Kit.CreateHttpClient(name);

    /// <summary>A worker's /admin/state.</summary>
    public Task<JsonElement> StateOf(string worker) => Kit.StateOfAsync(worker);

    /// <summary>The value of one Prometheus sample on a resource (sum over matching label sets; 0 when absent).</summary>
    public Task<double> Metric(string resource, string name, string? labelFilter = null) => Kit.MetricAsync(resource, name, labelFilter);

    public async Task DisposeAsync()
    {
        if (_kit is not null) await _kit.DisposeAsync();
    }
}
