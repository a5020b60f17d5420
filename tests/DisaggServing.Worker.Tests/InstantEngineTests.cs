using DisaggServing.Worker.Tests.Support;

namespace DisaggServing.Worker.Tests;

/// <summary>
/// Instant engine: zero step and transfer time. Shown without timing anything: with simulated time running
/// ten thousand times slower than the wall clock, a timed engine could not answer within the test timeout
/// (each step would take tens of seconds); an instant one answers at once, P/D included.
/// </summary>
public sealed class InstantEngineTests
{
    [Fact]
    public async Task An_instant_engine_ignores_the_step_time_model_and_the_link_time()
    {
        await using var prefill = await WorkerHost.StartAsync("Role=prefill", "InstantEngine=true", "SpeedFactor=0.0001");
        await using var decode = await WorkerHost.StartAsync("Role=decode", "InstantEngine=true", "SpeedFactor=0.0001", "Node=elsewhere");
        var body = Json.Of(new { prompt = Prompts.Unique("instant"), max_tokens = 64 });

        var colocated = await prefill.PostAsync("/v1/completions", body);
        var kv = await PdClient.PrefillAsync(prefill, "/v1/completions", body, "instant");
        var (status, response) = await decode.PostAsync("/v1/completions", PdClient.DecodeBody(body, kv));

        Assert.Equal(200, colocated.Status);
        Assert.Equal(200, status);
        Assert.Equal(64, response.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.Equal(colocated.Body.GetProperty("choices")[0].GetProperty("text").GetString(), response.GetProperty("choices")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task The_default_70B_engine_in_instant_mode_serves_many_concurrent_requests()
    {
        await using var worker = await WorkerHost.StartAsync("Model=meta-llama/Llama-3.3-70B-Instruct", "InstantEngine=true");

        var results = await Task.WhenAll(Enumerable.Range(0, 32).Select(i =>
            worker.PostAsync("/v1/completions", Json.Of(new { prompt = Prompts.Unique($"instant-{i}"), max_tokens = 32, stream = false }))));

        Assert.All(results, r => Assert.Equal(200, r.Status));
        Assert.All(results, r => Assert.Equal(32, r.Body.GetProperty("usage").GetProperty("completion_tokens").GetInt32()));
        await worker.WaitDrainedAsync();
    }
}
