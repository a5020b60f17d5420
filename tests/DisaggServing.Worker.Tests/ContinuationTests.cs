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
}
