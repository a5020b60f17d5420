using System.Diagnostics;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;

namespace DisaggServing.IntegrationTests;

/// <summary>
/// The AppHost with <c>--Topology:Local:Engine=Vllm</c> (local-70b: 2 prefill + 2 decode of TP=2, 8 GPUs), with the
/// stand-ins first on PATH: 8 × H100 from nvidia-smi, and a vllm that takes 2 s to "load" its model.
/// </summary>
public sealed class VllmAppFixture : IAsyncLifetime
{
    public static readonly string[] Engines = ["prefill-0", "prefill-1", "decode-0", "decode-1"];

    private readonly string? _path = Environment.GetEnvironmentVariable("PATH");
    private DistributedApplication? _app;

    public StandIns StandIns { get; } = new(Enumerable.Repeat("NVIDIA H100 80GB HBM3", 8), loadSeconds: 2);

    public DistributedApplication App => _app ?? throw new InvalidOperationException("not started");

    public HttpClient Router { get; private set; } = null!;

    public string Model => "meta-llama/Llama-3.3-70B-Instruct";

    /// <summary>Whether prefill-0 was seen in the "Loading model" state before it became healthy.</summary>
    public bool SawLoadingState { get; private set; }

    /// <summary>From StartAsync to every engine, the KV-transfer service and the router healthy.</summary>
    public TimeSpan StartedIn { get; private set; }

    public async Task InitializeAsync()
    {
        Environment.SetEnvironmentVariable("PATH", StandIns.Bin + Path.PathSeparator + _path);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.DisaggServing_AppHost>(
        [
            "--Topology:Local:Engine=Vllm",
            "--Topology:Router:Port=0",
        ]);
        _app = await builder.BuildAsync().WaitAsync(AppFixture.StartTimeout);
        using var cts = new CancellationTokenSource(AppFixture.StartTimeout);
        var loading = _app.ResourceNotifications.WaitForResourceAsync("prefill-0", e => e.Snapshot.State?.Text == "Loading model", cts.Token);
        var started = Stopwatch.StartNew();
        await _app.StartAsync(cts.Token);
        foreach (var name in Engines.Append("kvtransfer").Append("router"))
            await _app.ResourceNotifications.WaitForResourceHealthyAsync(name, cts.Token);
        StartedIn = started.Elapsed;
        SawLoadingState = loading.IsCompletedSuccessfully;
        Router = _app.CreateHttpClient("router", "http");
        Router.Timeout = AppFixture.RequestTimeout;
    }

    /// <summary>The port an engine's HTTP endpoint was given.</summary>
    public int PortOf(string engine, string endpoint = "http") => App.GetEndpoint(engine, endpoint).Port;

    /// <summary>The environment a resource shows in the dashboard.</summary>
    public Dictionary<string, string?> DashboardEnv(string resource)
    {
        Assert.True(App.ResourceNotifications.TryGetCurrentState(resource, out var state), resource);
        return state.Snapshot.EnvironmentVariables.ToDictionary(e => e.Name, e => e.Value);
    }

    public async Task DisposeAsync()
    {
        Router?.Dispose();
        if (_app is not null) await _app.DisposeAsync();
        Environment.SetEnvironmentVariable("PATH", _path);
        StandIns.Dispose();
    }
}
