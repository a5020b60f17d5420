using System.Net;
using System.Text.Json.Nodes;
using DisaggServing.Protocol;
using DisaggServing.Protocol.Tokenization;
using DisaggServing.Router.Tests.Fakes;

namespace DisaggServing.Router.Tests.Http;

/// <summary>vLLM's proxy protocol end to end through the router against fake prefill and decode workers.</summary>
public class PdFlowTests(PdClusterFixture cluster) : IClassFixture<PdClusterFixture>
{
    private static readonly string LongPrompt = Bodies.Words(60);

    [Fact]
    public async Task Chat_is_prefilled_then_decoded_with_vllms_bodies()
    {
        cluster.Reset();
        var id = Bodies.NewId();
        var body = Bodies.Chat(LongPrompt, maxTokens: 5);
        body["min_tokens"] = 2;
        body["top_k"] = 7;
        body["vendor"] = new JsonObject { ["x"] = 1 };

        using var response = await cluster.Client.SendAsync(Bodies.Post("v1/chat/completions", body, id));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        Assert.Equal("pd", Bodies.Header(response, HeaderNames.Route));
        Assert.Equal(id, Bodies.Header(response, HeaderNames.RequestId));

        var prefill = Assert.Single(cluster.Prefills.SelectMany(w => w.CallsFor(id)));
        var decode = Assert.Single(cluster.Decodes.SelectMany(w => w.CallsFor(id)));
        Assert.Equal("/v1/chat/completions", prefill.Path);
        Assert.Equal("/v1/chat/completions", decode.Path);

        // Prefill: the client body plus the six kv_transfer_params, stream false, one token, no min_tokens.
        var p = prefill.Body;
        Assert.Equal(1, (int)p["max_tokens"]!);
        Assert.False((bool)p["stream"]!);
        Assert.False(p.ContainsKey("min_tokens"));
        Assert.False(p.ContainsKey("stream_options"));
        Assert.Equal(7, (int)p["top_k"]!);
        Assert.True(JsonNode.DeepEquals(body["messages"], p["messages"]));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(
            """{"do_remote_decode":true,"do_remote_prefill":false,"remote_engine_id":null,"remote_block_ids":null,"remote_host":null,"remote_port":null}"""),
            p["kv_transfer_params"]));

        // Decode: the client body untouched plus the prefill's kv_transfer_params verbatim.
        var d = decode.Body.DeepClone().AsObject();
        var kv = d["kv_transfer_params"]!.AsObject();
        d.Remove("kv_transfer_params");
        Assert.True(JsonNode.DeepEquals(body, d), d.ToJsonString());
        var prefillWorker = cluster.Prefills.Single(w => w.CallsFor(id).Any());
        Assert.Equal(prefillWorker.Name, (string)kv["remote_engine_id"]!);
        Assert.Equal(id, (string)kv["remote_request_id"]!);
        Assert.True((bool)kv["do_remote_prefill"]!);
        Assert.Equal(prefillWorker.Name, Bodies.Header(response, HeaderNames.PrefillEngine));
        // Server-Timing carries the prefill's share of the TTFT: prefill;dur=MS (W3C syntax, invariant culture).
        Assert.Matches(@"^prefill;dur=\d+\.\d{3}$", Bodies.Header(response, HeaderNames.ServerTiming));
        Assert.Equal(cluster.Decodes.Single(w => w.CallsFor(id).Any()).Url, Bodies.Header(response, HeaderNames.DecodeEngine));

        var answer = JsonNode.Parse(text)!;
        Assert.Equal("chat.completion", (string)answer["object"]!);
        Assert.Equal("tok0 tok1 tok2 tok3 tok4 ", (string)answer["choices"]![0]!["message"]!["content"]!);
    }

    [Fact]
    public async Task Streaming_chat_is_relayed_as_sse_while_prefill_is_not_streamed()
    {
        cluster.Reset();
        var id = Bodies.NewId();
        var body = Bodies.Chat(LongPrompt, stream: true, maxTokens: 3);
        body["stream_options"] = new JsonObject { ["include_usage"] = true };

        using var response = await cluster.Client.SendAsync(Bodies.Post("v1/chat/completions", body, id), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = await ReadEventsAsync(response);
        Assert.Equal("[DONE]", events[^1]);
        var content = string.Concat(events.SkipLast(1).Select(e => JsonNode.Parse(e)!)
            .Where(e => e["choices"]!.AsArray().Count > 0)
            .Select(e => (string?)e["choices"]![0]!["delta"]!["content"]));
        Assert.Equal("tok0 tok1 tok2 ", content);
        Assert.NotNull(JsonNode.Parse(events[^2])!["usage"]);

        var prefill = Assert.Single(cluster.Prefills.SelectMany(w => w.CallsFor(id)));
        Assert.False((bool)prefill.Body["stream"]!);
        Assert.False(prefill.Body.ContainsKey("stream_options"));
        var decode = Assert.Single(cluster.Decodes.SelectMany(w => w.CallsFor(id)));
        Assert.True((bool)decode.Body["stream"]!);
        Assert.True(JsonNode.DeepEquals(body["stream_options"], decode.Body["stream_options"]));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Completions_go_pd_streaming_or_not(bool stream)
    {
        cluster.Reset();
        var id = Bodies.NewId();
        using var response = await cluster.Client.SendAsync(
            Bodies.Post("v1/completions", Bodies.Completion(LongPrompt, stream, maxTokens: 2), id), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("pd", Bodies.Header(response, HeaderNames.Route));
        string text;
        if (stream)
        {
            var events = await ReadEventsAsync(response);
            text = string.Concat(events.SkipLast(1).Select(e => (string?)JsonNode.Parse(e)!["choices"]![0]!["text"]));
        }
        else
        {
            text = (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["choices"]![0]!["text"]!;
        }
        Assert.Equal("tok0 tok1 ", text);
        var prefill = Assert.Single(cluster.Prefills.SelectMany(w => w.CallsFor(id)));
        Assert.Equal("/v1/completions", prefill.Path);
        Assert.Equal(1, (int)prefill.Body["max_tokens"]!);
        Assert.Single(cluster.Decodes.SelectMany(w => w.CallsFor(id)));
    }

    [Fact]
    public async Task Short_prompt_goes_decode_only_with_the_body_untouched()
    {
        cluster.Reset();
        Assert.True(PromptTokenizer.Instance.Encode(ChatTemplate.Render([new() { Role = "user", Content = System.Text.Json.JsonDocument.Parse("\"hi\"").RootElement }])).Count < 64);
        var id = Bodies.NewId();
        var body = Bodies.Chat("hi");
        using var response = await cluster.Client.SendAsync(Bodies.Post("v1/chat/completions", body, id));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("decode-only", Bodies.Header(response, HeaderNames.Route));
        Assert.Equal("", Bodies.Header(response, HeaderNames.PrefillEngine));
        Assert.Equal("", Bodies.Header(response, HeaderNames.ServerTiming));
        Assert.Empty(cluster.Prefills.SelectMany(w => w.CallsFor(id)));
        var decode = Assert.Single(cluster.Decodes.SelectMany(w => w.CallsFor(id)));
        Assert.True(JsonNode.DeepEquals(body, decode.Body));
    }

    [Fact]
    public async Task A_request_id_is_generated_when_the_client_sends_none_and_both_calls_share_it()
    {
        cluster.Reset();
        using var response = await cluster.Client.SendAsync(Bodies.Post("v1/completions", Bodies.Completion(LongPrompt)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var id = Bodies.Header(response, HeaderNames.RequestId);
        Assert.False(string.IsNullOrEmpty(id));
        Assert.Single(cluster.Prefills.SelectMany(w => w.CallsFor(id)));
        Assert.Single(cluster.Decodes.SelectMany(w => w.CallsFor(id)));
    }

    [Fact]
    public async Task A_clients_kv_transfer_params_are_never_forwarded()
    {
        cluster.Reset();
        var evil = new JsonObject { ["do_remote_prefill"] = true, ["remote_host"] = "10.9.9.9", ["remote_port"] = 1 };
        var pdId = Bodies.NewId();
        var pd = Bodies.Completion(LongPrompt);
        pd["kv_transfer_params"] = evil.DeepClone();
        using (var response = await cluster.Client.SendAsync(Bodies.Post("v1/completions", pd, pdId)))
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var prefill = Assert.Single(cluster.Prefills.SelectMany(w => w.CallsFor(pdId)));
        Assert.Null(prefill.Body["kv_transfer_params"]!["remote_host"]);
        var decode = Assert.Single(cluster.Decodes.SelectMany(w => w.CallsFor(pdId)));
        Assert.Equal("127.0.0.1", (string)decode.Body["kv_transfer_params"]!["remote_host"]!);

        var shortId = Bodies.NewId();
        var shortBody = Bodies.Completion("hi");
        shortBody["kv_transfer_params"] = evil.DeepClone();
        using (var response = await cluster.Client.SendAsync(Bodies.Post("v1/completions", shortBody, shortId)))
            Assert.Equal("decode-only", Bodies.Header(response, HeaderNames.Route));
        var only = Assert.Single(cluster.Decodes.SelectMany(w => w.CallsFor(shortId)));
        Assert.False(only.Body.ContainsKey("kv_transfer_params"));
    }

    [Fact]
    public async Task Fifty_concurrent_requests_complete_spread_over_every_worker()
    {
        cluster.Reset();
        var tasks = Enumerable.Range(0, 50).Select(async i =>
        {
            var stream = i % 2 == 0;
            using var response = await cluster.Client.SendAsync(
                Bodies.Post("v1/chat/completions", Bodies.Chat(LongPrompt, stream, maxTokens: 3)), HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            if (stream) Assert.Equal("[DONE]", (await ReadEventsAsync(response))[^1]);
            else Assert.NotNull(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["choices"]);
        });
        await Task.WhenAll(tasks);
        Assert.All(cluster.Workers, w => Assert.NotEmpty(w.Calls));
    }

    [Fact]
    public async Task Models_lists_the_configured_model()
    {
        var list = JsonNode.Parse(await cluster.Client.GetStringAsync("v1/models"))!;
        Assert.Equal("list", (string)list["object"]!);
        var card = list["data"]![0]!;
        Assert.Equal("test-model", (string)card["id"]!);
        Assert.Equal("model", (string)card["object"]!);
        Assert.Equal(1000, (int)card["max_model_len"]!);
    }

    [Fact]
    public async Task Metrics_expose_router_latencies_decisions_and_stages()
    {
        using (await cluster.Client.SendAsync(Bodies.Post("v1/completions", Bodies.Completion(LongPrompt)))) { }
        var metrics = await cluster.Client.GetStringAsync("metrics");
        Assert.Contains(RouterMetricNames.TimeToFirstToken + "_bucket", metrics);
        Assert.Contains(RouterMetricNames.E2eRequestLatency + "_count", metrics);
        Assert.Contains(RouterMetricNames.Decisions + "{route=\"pd\",reason=\"uncached\"}", metrics);
        Assert.Contains(RouterMetricNames.StageDuration + "_count{stage=\"prefill\"}", metrics);
        Assert.Contains(RouterMetricNames.StageDuration + "_count{stage=\"handoff\"}", metrics);
        Assert.Contains(RouterMetricNames.Requests + "{route=\"pd\",code=\"200\"}", metrics);
    }

    [Fact]
    public async Task Health_and_unknown_routes()
    {
        using var health = await cluster.Client.GetAsync("health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        using var unknown = await cluster.Client.GetAsync("v1/nothing");
        await Bodies.AssertOpenAiErrorAsync(unknown, 404);
    }

    internal static async Task<List<string>> ReadEventsAsync(HttpResponseMessage response)
    {
        var events = new List<string>();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        while (await reader.ReadLineAsync() is { } line)
            if (line.StartsWith("data: ", StringComparison.Ordinal))
                events.Add(line["data: ".Length..]);
        return events;
    }
}
