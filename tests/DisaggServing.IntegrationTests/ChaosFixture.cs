using System.Text.Json;
using Aspire.Hosting;
using DisaggServing.Testing;

namespace DisaggServing.IntegrationTests;

/// <summary>
/// The chaos suite's own app (started once for its class, through the testing kit): 2 prefill + 3 decode simulated
/// workers, the KV-transfer service and the router on a free port, the simulated GPUs sped up.
/// </summary>
public sealed class ChaosFixture : IAsyncLifetime
{
    public static readonly string[] Prefills = ["prefill-0", "prefill-1"];
    public static readonly string[] Decodes = ["decode-0", "decode-1", "decode-2"];

    private DisaggApp? _kit;

    public DisaggApp Kit => _kit ?? throw new InvalidOperationException("not started");

    public DistributedApplication App => Kit.App;

    public HttpClient Router => Kit.Router;

    public string Model => Kit.Model;

    public async Task InitializeAsync()
    {
        var options = AppFixture.Options();
        options.Settings["Topology:Pools:0:Replicas"] = "2";
        options.Settings["Topology:Pools:1:Replicas"] = "3";
        options.RequestTimeout = TimeSpan.FromSeconds(120); // 1000-token answers under faults
        _kit = await DisaggApp.StartAsync<Projects.DisaggServing_AppHost>(options);
    }

    public HttpClient Worker(string name) => Kit.CreateHttpClient(name);

    /// <summary>A worker's /admin/state.</summary>
    public Task<JsonElement> StateOf(string worker) => Kit.StateOfAsync(worker);

    public async Task DisposeAsync()
    {
        if (_kit is not null) await _kit.DisposeAsync();
    }
}
