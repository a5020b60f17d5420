using System.Net;
using System.Text.Json.Nodes;
using DisaggServing.Protocol;
using DisaggServing.Router.Endpoints;
using DisaggServing.Router.Tests.Fakes;

namespace DisaggServing.Router.Tests.Http;

/// <summary>
/// Nothing lost while a peer exists: a stream that breaks mid-way continues on the other decode engine (token ids
/// appended to the prompt, the rest of the budget, the same id and usage), and a decode failure before the first byte
/// is retried on the other engine with the same prefill's kv_transfer_params.
/// </summary>
public class MigrationTests(FailoverFixture cluster) : IClassFixture<FailoverFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_completion_stream_that_breaks_continues_on_the_other_decode_engine_with_the_same_id_text_and_usage()
    {
        cluster.Reset();
        cluster.Decode0.BreakStream = cluster.Decode1.BreakStream = true; // only fresh requests break, not continuations
        var body = Bodies.Completion("hello", stream: true, maxTokens: 5);
        body["stream_options"] = new JsonObject { ["include_usage"] = true };
        var id = Bodies.NewId();
        using var response = await cluster.Router.Client.SendAsync(Bodies.Post("v1/completions", body, id), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var first = cluster.Decodes.Single(w => w.Url == Bodies.Header(response, HeaderNames.DecodeEngine));
        var other = cluster.Decodes.Single(w => w != first);
        await first.StreamPaused.Task.WaitAsync(Patience);
        first.ReleaseBreak();

        var events = await PdFlowTests.ReadEventsAsync(response).WaitAsync(Patience);
        Assert.Equal("[DONE]", events[^1]);
        var chunks = events.SkipLast(1).Select(e => JsonNode.Parse(e)!).ToList();
        Assert.All(chunks, c => Assert.Null(c["error"]));
        Assert.All(chunks, c => Assert.Equal("cmpl-" + id, (string?)c["id"]));
        Assert.Equal("tok0 tok1 tok2 tok3 tok4 ", string.Concat(chunks.Where(c => c["choices"]!.AsArray().Count > 0).Select(c => (string?)c["choices"]![0]!["text"])));
        Assert.All(chunks.Where(c => c["choices"]!.AsArray().Count > 0), c => Assert.Null(c["choices"]![0]!["token_ids"]));
        var usage = chunks[^1]["usage"]!;
        Assert.Equal(3, (int)usage["prompt_tokens"]!);      // the original prompt, as the engine's /tokenize counts it
        Assert.Equal(5, (int)usage["completion_tokens"]!);  // everything the client received
        Assert.Equal(8, (int)usage["total_tokens"]!);

        // The continuation: the prompt's ids then the one generated id, the rest of the budget, on the other engine.
        var continuation = Assert.Single(other.CallsFor(id));
        Assert.Equal([1, 2, 3, FakeWorker.FirstOutputId], continuation.Body["prompt"]!.AsArray().Select(t => (int)t!));
        Assert.Equal(4, (int)continuation.Body["max_tokens"]!);
        Assert.True((bool)continuation.Body["stream"]!);
        Assert.Contains(id, other.Tokenized);
        Assert.Contains("disagg_router_migrations_total{outcome=\"completed\"}", await cluster.Router.Client.GetStringAsync("metrics"));
    }

    [Fact]
    public async Task A_chat_stream_that_breaks_goes_on_as_chat_chunks_from_a_token_id_completion()
    {
        cluster.Reset();
        cluster.Decode0.BreakStream = cluster.Decode1.BreakStream = true;
        var id = Bodies.NewId();
        using var response = await cluster.Router.Client.SendAsync(
            Bodies.Post("v1/chat/completions", Bodies.Chat("hello", stream: true, maxTokens: 3), id), HttpCompletionOption.ResponseHeadersRead);
        var first = cluster.Decodes.Single(w => w.Url == Bodies.Header(response, HeaderNames.DecodeEngine));
        await first.StreamPaused.Task.WaitAsync(Patience);
        first.ReleaseBreak();

        var events = await PdFlowTests.ReadEventsAsync(response).WaitAsync(Patience);
        Assert.Equal("[DONE]", events[^1]);
        var chunks = events.SkipLast(1).Select(e => JsonNode.Parse(e)!).ToList();
        Assert.All(chunks, c => Assert.Equal(("chatcmpl-" + id, "chat.completion.chunk"), ((string?)c["id"], (string?)c["object"])));
        Assert.Equal("tok0 tok1 tok2 ", string.Concat(chunks.Select(c => (string?)c["choices"]![0]!["delta"]!["content"])));
        Assert.Equal("length", (string?)chunks[^1]["choices"]![0]!["finish_reason"]);
        var continuation = Assert.Single(cluster.Decodes.Single(w => w != first).CallsFor(id));
        Assert.Equal("/v1/completions", continuation.Path);
    }

    [Fact]
    public async Task A_stream_that_breaks_with_no_engine_left_ends_with_an_error_event_and_done()
    {
        cluster.Reset();
        cluster.Decode0.BreakStream = cluster.Decode1.BreakStream = true;
        cluster.Decode0.FailNext = cluster.Decode1.FailNext = 0;
        using var response = await cluster.Router.Client.SendAsync(
            Bodies.Post("v1/completions", Bodies.Completion("hello", stream: true, maxTokens: 5)), HttpCompletionOption.ResponseHeadersRead);
        var first = cluster.Decodes.Single(w => w.Url == Bodies.Header(response, HeaderNames.DecodeEngine));
        var other = cluster.Decodes.Single(w => w != first);
        other.FailNext = 10; // the continuation is refused
        await first.StreamPaused.Task.WaitAsync(Patience);
        first.ReleaseBreak();

        var events = await PdFlowTests.ReadEventsAsync(response).WaitAsync(Patience);
        Assert.Equal("[DONE]", events[^1]);
        var error = JsonNode.Parse(events[^2])!["error"]!;
        Assert.Equal("upstream_stream_broken", (string?)error["code"]);
        Assert.Equal("tok0 ", (string?)JsonNode.Parse(events[0])!["choices"]![0]!["text"]);
    }

    [Fact]
    public async Task A_decode_failure_before_the_first_byte_is_retried_on_the_other_engine_with_the_same_kv_transfer_params()
    {
        cluster.Reset();
        // decode-1 looks busy, so decode-0 is the first choice; decode-0 then fails with a 500.
        cluster.Decode1.Waiting = 50;
        var catalog = cluster.Router.Get<EndpointCatalog>();
        var deadline = DateTime.UtcNow + Patience;
        while (catalog.Decode.Snapshot.Single(e => e.Address == cluster.Decode1.Url).Load.Waiting < 50 && DateTime.UtcNow < deadline)
            await Task.Delay(50);
        cluster.Decode0.FailNext = 1;
        var id = Bodies.NewId();
        using var response = await cluster.Router.Client.SendAsync(Bodies.Post("v1/completions", Bodies.Completion("hello"), id));
        cluster.Decode1.Waiting = 0;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("pd", Bodies.Header(response, HeaderNames.Route));
        Assert.Equal(cluster.Decode1.Url, Bodies.Header(response, HeaderNames.DecodeEngine));
        var failed = Assert.Single(cluster.Decode0.CallsFor(id));
        var served = Assert.Single(cluster.Decode1.CallsFor(id));
        Assert.True(JsonNode.DeepEquals(failed.Body["kv_transfer_params"], served.Body["kv_transfer_params"]));
        Assert.Single(cluster.Prefill.CallsFor(id)); // the lease is young: no second prefill
        Assert.Contains("disagg_router_decode_retries_total{kind=\"status\"}", await cluster.Router.Client.GetStringAsync("metrics"));
    }
}
