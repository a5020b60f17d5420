using System.Net;
using System.Text;
using DisaggServing.Protocol;
using DisaggServing.Worker.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DisaggServing.Worker.Tests;

/// <summary>Graceful drain: a stopping worker refuses new requests with a marked 503, fails /health, and finishes what it runs.</summary>
public sealed class DrainTests
{
    [Fact]
    public async Task A_stopping_worker_finishes_its_stream_refuses_new_requests_and_fails_health()
    {
        await using var worker = await WorkerHost.StartAsync("SpeedFactor=1", "MaxModelLen=512", "DrainSeconds=20", "EngineId=drain-0");
        var model = worker.Settings.ModelId;
        // A stream long enough to be running when the stop begins.
        var running = SseClient.StreamAsync(worker.Http, "/v1/completions",
            Json.Of(new { model, prompt = Prompts.Short, max_tokens = 200, stream = true }));
        await worker.WaitForStateAsync(s => s.Running > 0, "the stream running");

        // What SIGTERM does: the host stops (ApplicationStopping, then the hosted services).
        var stopping = Task.Run(() => worker.Services.GetRequiredService<IHost>().StopAsync());
        await worker.WaitForStateAsync(s => true, "the admin state");
        var deadline = DateTime.UtcNow + WorkerHost.WaitTimeout;
        HttpStatusCode health;
        do
        {
            using var probe = await worker.Http.GetAsync("/health");
            health = probe.StatusCode;
        } while (health != HttpStatusCode.ServiceUnavailable && DateTime.UtcNow < deadline);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health);
        using var refused = await worker.Http.PostAsync("/v1/completions",
            new StringContent(Json.Of(new { model, prompt = Prompts.Short, max_tokens = 4 }), Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.True(refused.Headers.Contains(HeaderNames.Draining));
        Assert.Contains("engine_draining", await refused.Content.ReadAsStringAsync());

        var (status, _, chunks, done) = await running;
        Assert.Equal(200, status);
        Assert.True(done, "the running stream was cut instead of finishing");
        Assert.Equal("length", chunks.Last(c => c.GetProperty("choices").GetArrayLength() > 0).GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        await stopping;
    }
}
