using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting;

namespace DisaggServing.IntegrationTests;

/// <summary>
/// The chaos suite's own app (started once for its class): 2 prefill + 3 decode simulated workers, the KV-transfer
/// service and the router on a free port, the simulated GPUs sped up.
/// </summary>
public sealed class ChaosFixture : IAsyncLifetime
{
    public static readonly string[] Prefills = ["prefill-0", "prefill-1"];
    public static readonly string[] Decodes = ["decode-0", "decode-1", "decode-2"];

    /// <summary>Seven processes start at once: on a small shared machine that takes minutes.</summary>
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(10);

    private DistributedApplication? _app;

    public DistributedApplication App => _app ?? throw new InvalidOperationException("not started");

    public HttpClient Router { get; private set; } = null!;

    public string Model => "meta-llama/Llama-3.3-70B-Instruct";

    public async Task InitializeAsync()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.DisaggServing_AppHost>(
        [
            "--Topology:Local:SpeedFactor=20",
            "--Topology:Router:Port=0",
            "--Topology:Pools:0:Replicas=2",
            "--Topology:Pools:1:Replicas=3",
            "--Topology:KvTransfer:LeaseSeconds=30",
        ]);
        _app = await builder.BuildAsync().WaitAsync(StartTimeout);
        using var cts = new CancellationTokenSource(StartTimeout);
        await _app.StartAsync(cts.Token);
        foreach (var name in Prefills.Concat(Decodes).Append("kvtransfer").Append("router"))
            await _app.ResourceNotifications.WaitForResourceHealthyAsync(name, cts.Token);
        Router = _app.CreateHttpClient("router", "http");
        Router.Timeout = TimeSpan.FromSeconds(120);
    }

    public HttpClient Worker(string name)
    {
        var client = App.CreateHttpClient(name, "http");
        client.Timeout = TimeSpan.FromSeconds(60);
        return client;
    }

    /// <summary>A worker's /admin/state.</summary>
    public async Task<JsonElement> StateOf(string worker)
    {
        using var client = Worker(worker);
        return await client.GetFromJsonAsync<JsonElement>("/admin/state");
    }

    public async Task DisposeAsync()
    {
        Router?.Dispose();
        if (_app is not null) await _app.DisposeAsync();
    }
}
