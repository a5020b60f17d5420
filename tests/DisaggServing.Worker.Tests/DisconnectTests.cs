using System.Text;
using DisaggServing.Worker.Tests.Support;

namespace DisaggServing.Worker.Tests;

/// <summary>A client that goes away aborts its request in the scheduler, in every state, so no block leaks.</summary>
public sealed class DisconnectTests(DisconnectFixture fixture) : IClassFixture<DisconnectFixture>
{
    private WorkerHost Slow => fixture.Slow;
    private WorkerHost Prefill => fixture.Prefill;

    [Fact]
    public async Task Closing_a_stream_mid_generation_frees_its_blocks()
    {
        var before = await Slow.MetricsAsync();
        using var request = Post("/v1/completions", Json.Of(new { prompt = Prompts.Unique("disconnect-stream"), max_tokens = 20000, stream = true }));
        var response = await Slow.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var stream = await response.Content.ReadAsStreamAsync();
        var reader = new StreamReader(stream);
        Assert.StartsWith("data: ", await reader.ReadLineAsync());
        Assert.True((await Slow.StateAsync()).BlocksUsed > 0);

        response.Dispose();

        await Slow.WaitDrainedAsync();
        var after = await Slow.MetricsAsync();
        Assert.Equal(1, Support.Metrics.Value(after, "disagg:requests_aborted_total") - Support.Metrics.Value(before, "disagg:requests_aborted_total"));
    }

    [Fact]
    public async Task Cancelling_a_whole_answer_while_it_runs_frees_its_blocks()
    {
        using var cancel = new CancellationTokenSource();
        using var request = Post("/v1/chat/completions", Json.Of(new { messages = new[] { new { role = "user", content = Prompts.Unique("disconnect-whole") } }, max_tokens = 20000 }));
        var send = Slow.Http.SendAsync(request, cancel.Token);
        await Slow.WaitForStateAsync(s => s.Running == 1, "the request to run");

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => send);
        await Slow.WaitDrainedAsync();
    }

    [Fact]
    public async Task Leaving_while_the_kv_pull_runs_frees_the_decoders_blocks_and_the_prefills_lease()
    {
        var body = Json.Of(new { prompt = Prompts.Unique("disconnect-pull"), max_tokens = 5, stream = true });
        var kv = await PdClient.PrefillAsync(Prefill, "/v1/completions", body, "disconnect-pull");
        // The prefill advertises a link a million times slower: the simulated transfer takes minutes.
        await KvFaultTests.SetFaultAsync(Prefill, new { link_slowdown = 1e6 });
        try
        {
            using var cancel = new CancellationTokenSource();
            using var request = Post("/v1/completions", PdClient.DecodeBody(body, kv));
            var send = Slow.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel.Token);
            await Slow.WaitForStateAsync(s => s.WaitingForRemoteKv == 1, "the decode to wait for its KV");

            await cancel.CancelAsync();

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => send);
            await Slow.WaitDrainedAsync();
            await Prefill.WaitDrainedAsync();
        }
        finally
        {
            await KvFaultTests.SetFaultAsync(Prefill, new { link_slowdown = 1.0 });
        }
    }

    private static HttpRequestMessage Post(string path, string json) =>
        new(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
}
