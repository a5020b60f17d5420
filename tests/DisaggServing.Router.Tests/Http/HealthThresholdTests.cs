using DisaggServing.Router.Endpoints;
using DisaggServing.Router.Monitoring;
using DisaggServing.Router.Tests.Fakes;
using DisaggServing.Scheduling;

namespace DisaggServing.Router.Tests.Http;

/// <summary>A late /health answer is not a dead engine: only several in a row take it out; a refusal or a 503 does at once.</summary>
public class HealthThresholdTests : IAsyncLifetime
{
    private FakeWorker _decode = null!;
    private RouterHost _router = null!;
    private EndpointMonitor _monitor = null!;
    private EngineEndpoint _engine = null!;

    public async Task InitializeAsync()
    {
        _decode = await FakeWorker.StartAsync("decode-0");
        _router = await RouterHost.StartAsync(new Dictionary<string, string?>
        {
            ["Router:Decode:0"] = _decode.Url,
            ["Router:HealthCheckIntervalMs"] = "0", // the test probes by hand
            ["Router:HealthCheckTimeoutMs"] = "1000",
            ["Router:HealthCheckFailureThreshold"] = "3",
        });
        // The first probe of a process compiles the HTTP client's path and can outlast the 1 s timeout on a loaded
        // machine (it would count as unanswered): probe until the engine is seen healthy, so each test starts warm.
        _monitor = _router.Get<EndpointMonitor>();
        _engine = _router.Get<EndpointCatalog>().Decode.Snapshot[0];
        for (var i = 0; i < 20 && _engine.Health != EndpointHealth.Healthy; i++)
            await _monitor.ProbeHealthAsync(CancellationToken.None);
        Assert.Equal(EndpointHealth.Healthy, _engine.Health);
    }

    public async Task DisposeAsync()
    {
        await _router.DisposeAsync();
        await _decode.DisposeAsync();
    }

    [Fact]
    public async Task An_engine_is_marked_unhealthy_on_the_third_unanswered_probe_in_a_row_and_healthy_again_on_its_next_answer()
    {
        await _monitor.ProbeHealthAsync(CancellationToken.None);
        Assert.Equal(EndpointHealth.Healthy, _engine.Health);

        _decode.HealthDelay = TimeSpan.FromSeconds(30);
        await _monitor.ProbeHealthAsync(CancellationToken.None);
        await _monitor.ProbeHealthAsync(CancellationToken.None);
        Assert.Equal(EndpointHealth.Healthy, _engine.Health);
        await _monitor.ProbeHealthAsync(CancellationToken.None);
        Assert.Equal(EndpointHealth.Unhealthy, _engine.Health);

        _decode.HealthDelay = TimeSpan.Zero;
        await _monitor.ProbeHealthAsync(CancellationToken.None);
        Assert.Equal(EndpointHealth.Healthy, _engine.Health);

        // An answer counts the unanswered ones from zero again.
        _decode.HealthDelay = TimeSpan.FromSeconds(30);
        await _monitor.ProbeHealthAsync(CancellationToken.None);
        await _monitor.ProbeHealthAsync(CancellationToken.None);
        Assert.Equal(EndpointHealth.Healthy, _engine.Health);
    }

    [Fact]
    public async Task A_503_from_health_marks_the_engine_unhealthy_at_once()
    {
        _decode.Healthy = false;
        await _monitor.ProbeHealthAsync(CancellationToken.None);
        Assert.Equal(EndpointHealth.Unhealthy, _engine.Health);
    }

    [Fact]
    public async Task A_refused_connection_marks_the_engine_unhealthy_at_once()
    {
        await _decode.StopAsync(); // nothing listens on its port any more
        await _monitor.ProbeHealthAsync(CancellationToken.None);
        Assert.Equal(EndpointHealth.Unhealthy, _engine.Health);
    }
}
