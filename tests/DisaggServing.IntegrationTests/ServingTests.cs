using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using DisaggServing.Protocol;
using DisaggServing.Testing;

namespace DisaggServing.IntegrationTests;

[Collection(AppCollection.Name)]
public sealed class ServingTests(AppFixture fixture)
{
    private HttpClient Router => fixture.Router;

    private object Chat(string content, int maxTokens = 8, bool stream = false) => new
    {
        model = fixture.Model,
        messages = new[] { new { role = "user", content } },
        max_tokens = maxTokens,
        stream,
        stream_options = stream ? new { include_usage = true } : null,
    };

    [Fact]
    public async Task Chat_completion_goes_through_prefill_and_decode()
    {
        using var response = await Router.PostAsJsonAsync("/v1/chat/completions", Chat(Prompts.Long(1)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("chat.completion", body.GetProperty("object").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()));
        Assert.Equal(8, body.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.False(body.TryGetProperty("kv_transfer_params", out _), "the router must not leak kv_transfer_params to clients");
        Assert.Equal("pd", Header(response, HeaderNames.Route));
        Assert.StartsWith("prefill-", Header(response, HeaderNames.PrefillEngine));
        Assert.StartsWith("decode-", Header(response, HeaderNames.DecodeEngine));
    }

    [Fact]
    public async Task Streaming_chat_relays_chunks_usage_and_done()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = JsonContent.Create(Chat(Prompts.Long(2), 12, stream: true)) };
        using var response = await Router.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = await Sse.ReadAll(response);
        Assert.Equal("[DONE]", events[^1]);
        var chunks = events[..^1].Select(e => JsonDocument.Parse(e).RootElement).ToList();
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c.GetProperty("object").GetString()));
        var text = string.Concat(chunks.Where(c => c.GetProperty("choices").GetArrayLength() > 0)
            .Select(c => c.GetProperty("choices")[0].GetProperty("delta").TryGetProperty("content", out var t) ? t.GetString() : ""));
        Assert.False(string.IsNullOrEmpty(text));
        Assert.Equal(12, chunks[^1].GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task Completions_work_streaming_and_not()
    {
        var body = new { model = fixture.Model, prompt = Prompts.Long(3), max_tokens = 5 };
        using var plain = await Router.PostAsJsonAsync("/v1/completions", body);
        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        var json = await plain.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("text_completion", json.GetProperty("object").GetString());
        Assert.Equal("length", json.GetProperty("choices")[0].GetProperty("finish_reason").GetString());

        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/completions")
        {
            Content = JsonContent.Create(new { model = fixture.Model, prompt = Prompts.Long(4), max_tokens = 5, stream = true }),
        };
        using var streamed = await Router.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var events = await Sse.ReadAll(streamed);
        Assert.Equal("[DONE]", events[^1]);
        Assert.True(events.Count >= 2);
    }

    [Fact]
    public async Task Prefill_and_decode_workers_account_for_the_request_and_the_kv_bytes()
    {
        var before = await Snapshot();
        using var response = await Router.PostAsJsonAsync("/v1/completions", new { model = fixture.Model, prompt = Prompts.Long(5), max_tokens = 4 });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var usage = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("usage");
        var promptTokens = usage.GetProperty("prompt_tokens").GetInt32();
        var prefill = Header(response, HeaderNames.PrefillEngine);
        var decode = Header(response, HeaderNames.DecodeEngine);
        var after = await Snapshot();

        Assert.Equal(1, after[prefill].Prefills - before[prefill].Prefills);
        Assert.Equal(1, after[decode].Decodes - before[decode].Decodes);
        // Llama-3.3-70B FP8 weights with vLLM's default KV dtype (the model's BF16): 80 layers × 2 × 8 KV heads ×
        // 128 × 2 bytes = 327,680 B per token, moved in whole 16-token blocks.
        const double perToken = 327_680;
        var bytes = after[decode].KvBytes - before[decode].KvBytes;
        Assert.InRange(bytes, (promptTokens - 16) * perToken, (promptTokens + 16) * perToken);
    }

    [Fact]
    public async Task Short_prompts_go_decode_only()
    {
        var before = await Snapshot();
        using var response = await Router.PostAsJsonAsync("/v1/chat/completions", Chat(Prompts.Short));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("decode-only", Header(response, HeaderNames.Route));
        var after = await Snapshot();
        Assert.Equal(before.Values.Sum(s => s.Prefills), after.Values.Sum(s => s.Prefills));
    }

    [Fact]
    public async Task Fifty_concurrent_requests_all_complete()
    {
        var tasks = Enumerable.Range(0, 50).Select(async i =>
        {
            using var response = await Router.PostAsJsonAsync("/v1/chat/completions", Chat(i % 2 == 0 ? Prompts.Long(100 + i) : Prompts.Short, 6));
            return response.StatusCode;
        });
        var statuses = await Task.WhenAll(tasks);
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
    }

    [Fact]
    public async Task After_a_mixed_workload_with_disconnects_every_worker_is_clean()
    {
        // Normal requests, plus streams the client abandons after the first chunk.
        var normal = Enumerable.Range(0, 10).Select(i => Router.PostAsJsonAsync("/v1/chat/completions", Chat(Prompts.Long(200 + i), 6)));
        var abandoned = Enumerable.Range(0, 5).Select(async i =>
        {
            using var cts = new CancellationTokenSource();
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = JsonContent.Create(Chat(Prompts.Long(300 + i), 500, stream: true)) };
            using var response = await Router.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);
            using var stream = await response.Content.ReadAsStreamAsync(cts.Token);
            await stream.ReadAtLeastAsync(new byte[1], 1, throwOnEndOfStream: false, cts.Token);
            await cts.CancelAsync();
        });
        foreach (var r in await Task.WhenAll(normal)) r.Dispose();
        await Task.WhenAll(abandoned);

        // Aborts and lease releases are asynchronous: the kit polls until every worker holds none.
        await fixture.Kit.AssertNoKvLeftAsync();
    }

    private async Task<Dictionary<string, WorkerCounters>> Snapshot()
    {
        var result = new Dictionary<string, WorkerCounters>();
        foreach (var worker in AppFixture.Workers)
            result[worker] = new WorkerCounters(
                await fixture.Metric(worker, MetricNames.RequestsByPhase, "phase=\"prefill\""),
                await fixture.Metric(worker, MetricNames.RequestsByPhase, "phase=\"decode\""),
                await fixture.Metric(worker, MetricNames.NixlBytesTransferred));
        return result;
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.First() : "";

    private sealed record WorkerCounters(double Prefills, double Decodes, double KvBytes);
}
