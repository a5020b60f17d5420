using DisaggServing.Protocol;
using DisaggServing.Protocol.OpenAi;
using DisaggServing.Worker.Connector;
using DisaggServing.Worker.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace DisaggServing.Worker.Tests;

/// <summary>The engine over a scripted IRemoteKvLoader: it acts on the loader's outcome and knows no transport.</summary>
public sealed class RemoteKvLoaderSeamTests
{
    [Fact]
    public async Task A_loaded_outcome_decodes_and_the_loader_gets_the_prefills_kv_transfer_params()
    {
        var loader = new ScriptedRemoteKvLoader();
        await using var prefill = await WorkerHost.StartAsync("Role=prefill", "EngineId=prefill-seam", "InstantEngine=true");
        await using var decode = await DecodeAsync(loader);
        var body = Json.Of(new { prompt = Prompts.Unique("seam-loaded"), max_tokens = 3 });
        var kv = await PdClient.PrefillAsync(prefill, "/v1/completions", body, "seam-1");

        var (status, response) = await decode.PostAsync("/v1/completions", PdClient.DecodeBody(body, kv));

        Assert.True(status == 200, response.ToString());
        var plan = Assert.Single(loader.Plans);
        Assert.Equal("prefill-seam", plan.Remote.RemoteEngineId);
        Assert.Equal(kv.GetProperty("remote_request_id").GetString(), plan.Remote.RemoteRequestId);
        Assert.Equal(plan.LocalBlocks, plan.Remote.RemoteBlockIds![0].Count);
        await decode.WaitDrainedAsync();
    }

    [Fact]
    public async Task A_fail_outcome_is_a_500_with_the_loaders_error_and_frees_the_blocks()
    {
        var loader = new ScriptedRemoteKvLoader { Next = new RemoteKvLoad(RemoteKvLoadOutcome.Fail, "scripted failure") };
        await using var prefill = await WorkerHost.StartAsync("Role=prefill", "EngineId=prefill-seam", "InstantEngine=true");
        await using var decode = await DecodeAsync(loader);
        var body = Json.Of(new { prompt = Prompts.Unique("seam-fail"), max_tokens = 3 });
        var kv = await PdClient.PrefillAsync(prefill, "/v1/completions", body, "seam-2");

        var (status, response) = await decode.PostAsync("/v1/completions", PdClient.DecodeBody(body, kv));

        Assert.Equal(500, status);
        var error = Json.AssertError(response, ErrorTypes.Server);
        Assert.Equal("kv_load_failed", error.GetProperty("code").GetString());
        Assert.Contains("scripted failure", error.GetProperty("message").GetString());
        await decode.WaitDrainedAsync();
    }

    [Fact]
    public async Task A_recompute_outcome_prefills_locally_and_counts_the_recompute()
    {
        var loader = new ScriptedRemoteKvLoader { Next = new RemoteKvLoad(RemoteKvLoadOutcome.Recompute, "scripted failure") };
        await using var prefill = await WorkerHost.StartAsync("Role=prefill", "EngineId=prefill-seam", "InstantEngine=true");
        await using var decode = await DecodeAsync(loader);
        var body = Json.Of(new { prompt = Prompts.Unique("seam-recompute"), max_tokens = 3 });
        var kv = await PdClient.PrefillAsync(prefill, "/v1/completions", body, "seam-3");

        var (status, response) = await decode.PostAsync("/v1/completions", PdClient.DecodeBody(body, kv));

        Assert.True(status == 200, response.ToString());
        Assert.Equal(1, Support.Metrics.Value(await decode.MetricsAsync(), "disagg:kv_recomputes_total"));
        await decode.WaitDrainedAsync();
    }

    // The last registration wins: the engine gets the scripted loader instead of the puller.
    private static Task<WorkerHost> DecodeAsync(ScriptedRemoteKvLoader loader) =>
        WorkerHost.StartAsync(["Role=decode", "EngineId=decode-seam", "InstantEngine=true"],
            services => services.AddSingleton<IRemoteKvLoader>(loader));
}
