using System.Net;
using System.Text.Json.Nodes;
using DisaggServing.Router.Endpoints;
using DisaggServing.Router.Monitoring;
using DisaggServing.Router.Tests.Fakes;
using DisaggServing.Scheduling;

namespace DisaggServing.Router.Tests.Http;

/// <summary>Health probes, metrics scraping and the model list learned from the workers.</summary>
public class MonitorTests : IAsyncLifetime
{
    private FakeWorker _decode = null!;
    private FakeWorker _prefill = null!;
    private RouterHost _router = null!;

    public async Task InitializeAsync()
    {
        _decode = await FakeWorker.StartAsync("decode-0");
        _decode.ModelId = "worker-model";
        _decode.MaxModelLen = 64;
        _prefill = await FakeWorker.StartAsync("prefill-0");
        _router = await RouterHost.StartAsync(new Dictionary<string, string?>
        {
            ["Router:Decode:0"] = _decode.Url,
            ["Router:Prefill:0"] = _prefill.Url,
        });
    }

    public async Task DisposeAsync()
    {
        await _router.DisposeAsync();
        await _decode.DisposeAsync();
        await _prefill.DisposeAsync();
    }

    [Fact]
    public async Task Models_and_context_come_from_the_workers_when_not_configured()
    {
        var list = JsonNode.Parse(await _router.Client.GetStringAsync("v1/models"))!;
        Assert.Equal("worker-model", (string)list["data"]![0]!["id"]!);
        Assert.Equal(64, (int)list["data"]![0]!["max_model_len"]!);

        using var unknown = await _router.Client.SendAsync(Bodies.Post("v1/completions", """{"model":"test-model","prompt":"hi"}"""));
        await Bodies.AssertOpenAiErrorAsync(unknown, 404);
        using var tooLong = await _router.Client.SendAsync(Bodies.Post("v1/completions", """{"model":"worker-model","prompt":"hi","max_tokens":64}"""));
        await Bodies.AssertOpenAiErrorAsync(tooLong, 400);
        using var ok = await _router.Client.SendAsync(Bodies.Post("v1/completions", """{"model":"worker-model","prompt":"hi","max_tokens":4}"""));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task Probes_mark_health_and_scrapes_read_vllm_load()
    {
        var monitor = _router.Get<EndpointMonitor>();
        var catalog = _router.Get<EndpointCatalog>();
        var prefill = catalog.Prefill.Snapshot[0];
        var decode = catalog.Decode.Snapshot[0];

        _prefill.Healthy = false;
        _decode.Waiting = 2;
        _decode.Running = 5;
        _decode.KvUsage = 0.4;
        await monitor.ProbeHealthAsync(CancellationToken.None);
        await monitor.ScrapeMetricsAsync(CancellationToken.None);
        Assert.Equal(EndpointHealth.Unhealthy, prefill.Health);
        Assert.Equal(EndpointHealth.Healthy, decode.Health);
        Assert.Equal(new EndpointLoad(2, 5, 0.4), decode.Load);

        // An unhealthy prefill engine leaves requests decode-only.
        using var response = await _router.Client.SendAsync(Bodies.Post("v1/completions", """{"prompt":"hi","max_tokens":2}"""));
        Assert.Equal("decode-only", Bodies.Header(response, Protocol.HeaderNames.Route));

        _prefill.Healthy = true;
        await monitor.ProbeHealthAsync(CancellationToken.None);
        Assert.Equal(EndpointHealth.Healthy, prefill.Health);
    }
}
