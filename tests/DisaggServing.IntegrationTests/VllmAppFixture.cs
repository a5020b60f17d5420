using Aspire.Hosting;
using DisaggServing.Testing;

namespace DisaggServing.IntegrationTests;

/// <summary>
/// The AppHost with <c>--Topology:Local:Engine=Vllm</c> (local-70b: 2 prefill + 2 decode of TP=2, 8 GPUs) through the
/// testing kit, with the stand-ins first on PATH: 8 × H100 from nvidia-smi, and a vllm that takes 2 s to "load" its model.
/// </summary>
public sealed class VllmAppFixture : IAsyncLifetime
{
    public static readonly string[] Engines = ["prefill-0", "prefill-1", "decode-0", "decode-1"];

    private readonly string? _path = Environment.GetEnvironmentVariable("PATH");
    private DisaggApp? _kit;

    public StandIns StandIns { get; } = new(Enumerable.Repeat("NVIDIA H100 80GB HBM3", 8), loadSeconds: 2);

    public DisaggApp Kit => _kit ?? throw new InvalidOperationException("not started");

    public DistributedApplication App => Kit.App;

    public HttpClient Router => Kit.Router;

    public string Model => Kit.Model;

    /// <summary>Whether prefill-0 was seen in the "Loading model" state before it became healthy.</summary>
    public bool SawLoadingState => Kit.StatesSeen("prefill-0").Contains("Loading model");

    /// <summary>From the start to every engine, the KV-transfer service and the router serving.</summary>
    public TimeSpan StartedIn => Kit.StartedIn;

    public async Task InitializeAsync()
    {
        Environment.SetEnvironmentVariable("PATH", StandIns.Bin + Path.PathSeparator + _path);
        // The engines' own settings, as a user's vLLM run has them: no speed-up, the topology's leases.
        var options = new DisaggTestOptions { SpeedFactor = null, LeaseSeconds = null };
        options.Settings["Topology:Local:Engine"] = "Vllm";
        _kit = await DisaggApp.StartAsync<Projects.DisaggServing_AppHost>(options);
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
        if (_kit is not null) await _kit.DisposeAsync();
        Environment.SetEnvironmentVariable("PATH", _path);
        StandIns.Dispose();
    }
}
