using System.Net;
using System.Text.Json.Nodes;
using DisaggServing.Protocol;
using DisaggServing.Router.Telemetry;
using DisaggServing.Router.Tests.Fakes;

namespace DisaggServing.Router.Tests.Http;

/// <summary>Prefill retry and fallback, decode failures, and client disconnects.</summary>
public class FailoverTests(FailoverFixture cluster) : IClassFixture<FailoverFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_prefill_that_cannot_be_reached_is_retried_on_the_other_prefill()
    {
        cluster.Reset();
        for (var i = 0; i < 4; i++)
        {
            var id = Bodies.NewId();
            using var response = await cluster.Router.Client.SendAsync(Bodies.Post("v1/completions", Bodies.Completion("hello"), id));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("pd", Bodies.Header(response, HeaderNames.Route));
            Assert.Equal("prefill-live", Bodies.Header(response, HeaderNames.PrefillEngine));
            Assert.Single(cluster.Prefill.CallsFor(id));
        }
        var metrics = await cluster.Router.Client.GetStringAsync("metrics");
        Assert.Contains(RouterMetricNames.PrefillRetries, metrics);
        Assert.True(cluster.Router.Get<RouterMetrics>().PrefillRetries >= 1);
    }

    [Fact]
    public async Task When_every_prefill_fails_the_request_falls_back_to_decode_only()
    {
        cluster.Reset();
        var fallbacks = cluster.Router.Get<RouterMetrics>().Fallbacks;
        cluster.Prefill.FailNext = 1;
        var id = Bodies.NewId();
        var body = Bodies.Chat("hello", stream: true);
        using var response = await cluster.Router.Client.SendAsync(Bodies.Post("v1/chat/completions", body, id), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("decode-only", Bodies.Header(response, HeaderNames.Route));
        var events = await PdFlowTests.ReadEventsAsync(response);
        Assert.Equal("[DONE]", events[^1]);
        Assert.Single(cluster.Prefill.CallsFor(id));
        var decode = Assert.Single(cluster.Decodes.SelectMany(w => w.CallsFor(id)));
        // The client's body, asking for token ids so that the stream could migrate.
        body["return_token_ids"] = true;
        Assert.True(JsonNode.DeepEquals(body, decode.Body));
        Assert.Equal(fallbacks + 1, cluster.Router.Get<RouterMetrics>().Fallbacks);
    }

    [Fact]
    public async Task A_prefill_without_kv_transfer_params_counts_as_failed()
    {
        cluster.Reset();
        cluster.Prefill.OmitKvTransferParams = true;
        var id = Bodies.NewId();
        using var response = await cluster.Router.Client.SendAsync(Bodies.Post("v1/completions", Bodies.Completion("hello"), id));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("decode-only", Bodies.Header(response, HeaderNames.Route));
        Assert.False(Assert.Single(cluster.Decodes.SelectMany(w => w.CallsFor(id))).Body.ContainsKey("kv_transfer_params"));
    }

    [Fact]
    public async Task A_prefill_4xx_about_the_body_is_passed_to_the_client()
    {
        cluster.Reset();
        cluster.Prefill.FailNext = 1;
        cluster.Prefill.FailStatus = 400;
        var id = Bodies.NewId();
        using var response = await cluster.Router.Client.SendAsync(Bodies.Post("v1/completions", Bodies.Completion("hello"), id));
        var error = await Bodies.AssertOpenAiErrorAsync(response, 400);
        Assert.Contains("prefill-live", (string)error["message"]!);
        Assert.Empty(cluster.Decodes.SelectMany(w => w.CallsFor(id)));
    }

    [Fact]
    public async Task A_decode_5xx_with_an_openai_body_is_relayed_and_one_without_becomes_502()
    {
        cluster.Reset();
        cluster.Decode0.FailNext = 1;
        cluster.Decode1.FailNext = 1;
        cluster.Decode0.FailStatus = cluster.Decode1.FailStatus = 503;
        using (var response = await cluster.Router.Client.SendAsync(Bodies.Post("v1/completions", Bodies.Completion("hello"))))
            await Bodies.AssertOpenAiErrorAsync(response, 503);

        cluster.Reset();
        cluster.Decode0.FailNext = 1;
        cluster.Decode1.FailNext = 1;
        cluster.Decode0.FailWithOpenAiBody = cluster.Decode1.FailWithOpenAiBody = false;
        using (var response = await cluster.Router.Client.SendAsync(Bodies.Post("v1/completions", Bodies.Completion("hello"))))
            await Bodies.AssertOpenAiErrorAsync(response, 502);
    }

    [Fact]
    public async Task An_unreachable_decode_engine_gives_502_and_none_at_all_503()
    {
        using (var response = await cluster.DeadDecodeRouter.Client.SendAsync(Bodies.Post("v1/completions", Bodies.Completion("hello"))))
        {
            var error = await Bodies.AssertOpenAiErrorAsync(response, 502);
            Assert.Equal("server_error", (string)error["type"]!);
        }
        using (var response = await cluster.DeadDecodeRouter.Client.SendAsync(Bodies.Post("v1/chat/completions", Bodies.Chat("hello", stream: true))))
            await Bodies.AssertOpenAiErrorAsync(response, 502);
        using (var response = await cluster.NoDecodeRouter.Client.SendAsync(Bodies.Post("v1/completions", Bodies.Completion("hello"))))
            await Bodies.AssertOpenAiErrorAsync(response, 503);
        using var health = await cluster.NoDecodeRouter.Client.GetAsync("health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
    }

    [Fact]
    public async Task A_decode_connect_that_times_out_is_retried_on_another_engine_not_answered_504()
    {
        // SocketsHttpHandler reports its ConnectTimeout as a cancellation; nothing reached the engine, so the
        // request moves on, as after a refused connect, instead of ending in a decode_timeout.
        for (var i = 0; i < 4; i++)
        {
            var id = Bodies.NewId();
            using var response = await cluster.SilentDecodeRouter.Client.SendAsync(Bodies.Post("v1/completions", Bodies.Completion("hello"), id));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(cluster.Decode0.Url, Bodies.Header(response, HeaderNames.DecodeEngine));
        }
        var metrics = await cluster.SilentDecodeRouter.Client.GetStringAsync("metrics");
        Assert.Contains(RouterMetricNames.DecodeRetries + "{kind=\"connect\"}", metrics);
    }

    [Fact]
    public async Task A_client_that_disconnects_mid_stream_cancels_the_decode_request()
    {
        cluster.Reset();
        cluster.Decode0.HoldStream = true;
        cluster.Decode1.HoldStream = true;
        using var client = new HttpClient { BaseAddress = cluster.Router.Client.BaseAddress };
        var response = await client.SendAsync(Bodies.Post("v1/chat/completions", Bodies.Chat("hello", stream: true, maxTokens: 8)), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stream = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[256];
        Assert.True(await stream.ReadAsync(buffer).AsTask().WaitAsync(Patience) > 0);
        var decodeName = Bodies.Header(response, HeaderNames.DecodeEngine);
        var worker = cluster.Decodes.Single(w => w.Url == decodeName);
        response.Dispose();
        client.Dispose();
        await worker.Aborted.Task.WaitAsync(Patience);
    }

    [Fact]
    public async Task A_decode_stream_that_breaks_ends_with_an_error_event_when_migration_is_off()
    {
        cluster.Reset();
        cluster.Decode0.BreakStream = cluster.Decode1.BreakStream = true;
        using var response = await cluster.NoMigrationRouter.Client.SendAsync(
            Bodies.Post("v1/chat/completions", Bodies.Chat("hello", stream: true, maxTokens: 5)), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());

        // The client has the first event in hand; only then does the decode engine drop the connection.
        var first = await NextEventAsync(reader).WaitAsync(Patience);
        Assert.Equal("assistant", (string?)JsonNode.Parse(first!)!["choices"]![0]!["delta"]!["role"]);
        var worker = cluster.Decodes.Single(w => w.Url == Bodies.Header(response, HeaderNames.DecodeEngine));
        await worker.StreamPaused.Task.WaitAsync(Patience);
        worker.ReleaseBreak();

        var rest = new List<string>();
        while (await NextEventAsync(reader).WaitAsync(Patience) is { } data)
            rest.Add(data);
        Assert.DoesNotContain("[DONE]", rest);
        Assert.NotEmpty(rest);
        Assert.All(rest.SkipLast(1), e => Assert.Null(JsonNode.Parse(e)!["error"]));
        var error = JsonNode.Parse(rest[^1])!["error"]!;
        Assert.Equal("server_error", (string)error["type"]!);
        Assert.Equal("upstream_stream_broken", (string)error["code"]!);
        using var health = await cluster.NoMigrationRouter.Client.GetAsync("health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    /// <summary>The next SSE data line, or null at the end of the stream.</summary>
    private static async Task<string?> NextEventAsync(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is { } line)
            if (line.StartsWith("data: ", StringComparison.Ordinal))
                return line["data: ".Length..];
        return null;
    }
}
