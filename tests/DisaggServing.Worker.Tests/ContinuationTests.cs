using System.Text.Json;
using DisaggServing.Worker.Tests.Support;

namespace DisaggServing.Worker.Tests;

/// <summary>
/// What the router's mid-stream migration relies on: a stream reports its token ids (vLLM's return_token_ids), and a
/// request whose token-id prompt ends with part of the answer produces the rest of the same text.
/// </summary>
public sealed class ContinuationTests(InstantWorkerFixture fixture) : IClassFixture<InstantWorkerFixture>
{
    private WorkerHost Worker => fixture.Worker;

    [Fact]
    public async Task Streamed_token_ids_cover_the_text_and_a_continuation_from_any_cut_produces_the_rest()
    {
        var model = Worker.Settings.ModelId;
        var (_, _, chunks, done) = await SseClient.StreamAsync(Worker.Http, "/v1/completions",
            Json.Of(new { model, prompt = Prompts.Short, max_tokens = 24, stream = true, return_token_ids = true, seed = 3 }));
        Assert.True(done);
        var ids = chunks.SelectMany(c => c.GetProperty("choices")[0].GetProperty("token_ids").EnumerateArray().Select(t => t.GetInt32())).ToArray();
        var text = SseClient.Text(chunks);
        Assert.Equal(24, ids.Length);

        var (_, tokenized) = await Worker.PostAsync("/tokenize", Json.Of(new { model, prompt = Prompts.Short }));
        var prompt = tokenized.GetProperty("tokens").EnumerateArray().Select(t => t.GetInt32()).ToArray();
        foreach (var cut in new[] { 1, 5, 23 })
        {
            var (_, _, rest, restDone) = await SseClient.StreamAsync(Worker.Http, "/v1/completions",
                Json.Of(new { model, prompt = prompt.Concat(ids[..cut]).ToArray(), max_tokens = 24 - cut, stream = true, return_token_ids = true, seed = 3 }));
            Assert.True(restDone);
            var before = string.Concat(ids[..cut].Select(Text.PseudoText.TokenText));
            Assert.Equal(text, before + SseClient.Text(rest));
        }
    }

    [Fact]
    public async Task Token_ids_are_left_out_unless_asked_for()
    {
        var (_, _, chunks, _) = await SseClient.StreamAsync(Worker.Http, "/v1/completions",
            Json.Of(new { model = Worker.Settings.ModelId, prompt = Prompts.Short, max_tokens = 4, stream = true }));
        Assert.All(chunks.Where(c => c.GetProperty("choices").GetArrayLength() > 0),
            c => Assert.False(c.GetProperty("choices")[0].TryGetProperty("token_ids", out _)));
        var (_, whole) = await Worker.PostAsync("/v1/completions", Json.Of(new { model = Worker.Settings.ModelId, prompt = Prompts.Short, max_tokens = 4, return_token_ids = true }));
        Assert.Equal(4, whole.GetProperty("choices")[0].GetProperty("token_ids").GetArrayLength());
    }

    [Fact]
    public async Task A_chat_without_max_tokens_continues_on_completions_with_a_null_max_tokens_to_its_natural_end()
    {
        var model = Worker.Settings.ModelId;
        var messages = new[] { new { role = "user", content = "Tell me about caches." } };
        var (_, chat) = await Worker.PostAsync("/v1/chat/completions", Json.Of(new { model, messages, return_token_ids = true }));
        var choice = chat.GetProperty("choices")[0];
        var ids = choice.GetProperty("token_ids").EnumerateArray().Select(t => t.GetInt32()).ToArray();
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString()); // its natural end, not the budget

        var (_, tokenized) = await Worker.PostAsync("/tokenize", Json.Of(new { model, messages }));
        var prompt = tokenized.GetProperty("tokens").EnumerateArray().Select(t => t.GetInt32()).ToArray();
        // An explicit null, which the shared serializer settings would leave out.
        var body = new System.Text.Json.Nodes.JsonObject
        {
            ["model"] = model,
            ["prompt"] = new System.Text.Json.Nodes.JsonArray([.. prompt.Concat(ids[..3]).Select(t => (System.Text.Json.Nodes.JsonNode)t)]),
            ["max_tokens"] = null,
        };
        var (_, rest) = await Worker.PostAsync("/v1/completions", body.ToJsonString());
        var before = string.Concat(ids[..3].Select(Text.PseudoText.TokenText));
        Assert.Equal(choice.GetProperty("message").GetProperty("content").GetString(), before + rest.GetProperty("choices")[0].GetProperty("text").GetString());
        Assert.Equal("stop", rest.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
    }
}
