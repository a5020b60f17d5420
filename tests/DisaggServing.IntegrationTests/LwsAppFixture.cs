using Aspire.Hosting;

namespace DisaggServing.IntegrationTests;

/// <summary>
/// The AppHost with the <c>glm5-lws</c> reference topology on simulated GPUs: one LeaderWorkerSet group of PP=2 (the
/// leader <c>vllm-glm5-fp8-0</c> and its worker rank <c>vllm-glm5-fp8-0-1</c>), the router and the KV-transfer service.
/// </summary>
public sealed class LwsAppFixture : IAsyncLifetime
{
    public const string Leader = "vllm-glm5-fp8-0";
    public const string WorkerRank = "vllm-glm5-fp8-0-1";

    private DistributedApplication? _app;

    public DistributedApplication App => _app ?? throw new InvalidOperationException("not started");

    public HttpClient Router { get; private set; } = null!;

    public string Model => "zai-org/GLM-5-FP8";

    public async Task InitializeAsync()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.DisaggServing_AppHost>(
        [
            "--Topology:Reference=glm5-lws",
            "--Topology:Local:SpeedFactor=20",
            "--Topology:Router:Port=0",
        ]);
        _app = await builder.BuildAsync().WaitAsync(AppFixture.StartTimeout);
        using var cts = new CancellationTokenSource(AppFixture.StartTimeout);
        await _app.StartAsync(cts.Token);
        foreach (var name in new[] { Leader, WorkerRank, "kvtransfer", "router" })
            await _app.ResourceNotifications.WaitForResourceHealthyAsync(name, cts.Token);
        Router = _app.CreateHttpClient("router", "http");
        Router.Timeout = AppFixture.RequestTimeout;
    }

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
    }
}
