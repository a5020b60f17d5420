using System.Text.Json;
using DisaggServing.Protocol.OpenAi;
using DisaggServing.Protocol.Tokenization;
using DisaggServing.Worker.Api;
using DisaggServing.Worker.Tests.Support;
using DisaggServing.Worker.Text;

namespace DisaggServing.Worker.Tests;

/// <summary>
/// stop, stop_token_ids, include_stop_str_in_output and ignore_eos over HTTP, whole and streamed, on both endpoints:
/// the text ends where vLLM ends it, finish_reason is "stop" with vLLM's stop_reason, and usage counts every token
/// generated. Expectations come from the answer without stops (the text is deterministic).
/// </summary>
public sealed class StopApiTests(InstantWorkerFixture fixture) : IClassFixture<InstantWorkerFixture>
{
    private const int Budget = 40;
    private WorkerHost Worker => fixture.Worker;

    public static TheoryData<bool, bool> Endpoints => new() { { false, false }, { false, true }, { true, false }, { true, true } };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task A_stop_string_ends_the_output_before_it(bool chat, bool stream)
    {
        var (request, tokens) = Request(chat, "stop-string");
        // A stop string across a token boundary, from the middle of the answer.
        var stop = (tokens[10] + tokens[11] + tokens[12])[1..^1];
        var at = string.Concat(tokens).IndexOf(stop, StringComparison.Ordinal);

        var answer = await AskAsync(chat, stream, request, new { stop = new[] { "no such text", stop } });

        Assert.Equal(string.Concat(tokens)[..at], answer.Text);
        Assert.Equal("stop", answer.Finish);
        Assert.Equal(stop, answer.StopReason.GetString());
        Assert.Equal(TokensThrough(tokens, at + stop.Length), answer.CompletionTokens);
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task With_include_stop_str_in_output_the_stop_string_stays(bool chat, bool stream)
    {
        var (request, tokens) = Request(chat, "include");
        var stop = tokens[6].Trim();
        var at = string.Concat(tokens).IndexOf(stop, StringComparison.Ordinal);

        var answer = await AskAsync(chat, stream, request, new { stop, include_stop_str_in_output = true });

        Assert.Equal(string.Concat(tokens)[..(at + stop.Length)], answer.Text);
        Assert.Equal(("stop", stop), (answer.Finish, answer.StopReason.GetString()));
        Assert.Equal(TokensThrough(tokens, at + stop.Length), answer.CompletionTokens);
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task A_stop_token_is_counted_and_left_out_of_the_text(bool chat, bool stream)
    {
        var (request, tokens) = Request(chat, "stop-token");
        var id = Assert.Single(PromptTokenizer.Instance.Encode(tokens[7]));
        var first = Array.IndexOf(tokens, tokens[7]);

        var answer = await AskAsync(chat, stream, request, new { stop_token_ids = new[] { 3, id } });

        Assert.Equal(string.Concat(tokens.Take(first)), answer.Text);
        Assert.Equal("stop", answer.Finish);
        Assert.Equal(id, answer.StopReason.GetInt32());
        Assert.Equal(first + 1, answer.CompletionTokens);

        var included = await AskAsync(chat, stream, request, new { stop_token_ids = new[] { id }, include_stop_str_in_output = true });
        Assert.Equal(string.Concat(tokens.Take(first + 1)), included.Text);
        Assert.Equal(first + 1, included.CompletionTokens);
    }

    [Fact]
    public async Task Min_tokens_holds_stops_off()
    {
        var (request, tokens) = Request(chat: false, "min-tokens");
        var id = Assert.Single(PromptTokenizer.Instance.Encode(tokens[1]));
        var later = Array.IndexOf(tokens, tokens[1], 20);
        var answer = await AskAsync(false, false, request, new { stop_token_ids = new[] { id }, min_tokens = 20 });

        Assert.Equal(later < 0 ? Budget : later + 1, answer.CompletionTokens);
        Assert.Equal(later < 0 ? "length" : "stop", answer.Finish);
    }

    [Fact]
    public async Task A_stream_never_shows_text_of_a_stop_string()
    {
        var (request, tokens) = Request(chat: false, "hold-back");
        var stop = string.Concat(tokens.Skip(8).Take(3));
        var text = string.Concat(tokens)[..string.Concat(tokens).IndexOf(stop, StringComparison.Ordinal)];
        var (status, _, chunks, done) = await SseClient.StreamAsync(Worker.Http, "/v1/completions", Merge(request, new { stream = true, stop }));

        Assert.Equal(200, status);
        Assert.True(done);
        // Every chunk adds only text that stays: what the client has seen is always a prefix of the final text.
        var shown = "";
        foreach (var chunk in chunks)
        {
            shown += SseClient.Text([chunk]);
            Assert.StartsWith(shown, text, StringComparison.Ordinal);
        }
        Assert.Equal(text, shown);
    }

    [Fact]
    public async Task Chat_ignore_eos_runs_to_the_context_limit_instead_of_its_natural_end()
    {
        var messages = new[] { new { role = "user", content = "Keep going." } };
        var promptTokens = PromptReader.Chat([new ChatMessage { Role = "user", Content = JsonSerializer.SerializeToElement("Keep going.") }]).Count;

        var (_, natural) = await Worker.PostAsync("/v1/chat/completions", Json.Of(new { messages }));
        var (status, body) = await Worker.PostAsync("/v1/chat/completions", Json.Of(new { messages, ignore_eos = true }));

        Assert.Equal("stop", natural.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Equal(200, status);
        Assert.Equal("length", body.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Equal(InstantWorkerFixture.MaxModelLen - promptTokens, body.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.StartsWith(natural.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!,
            body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
    }

    [Fact]
    public async Task Sampling_parameters_change_the_text()
    {
        var (request, _) = Request(chat: false, "sampling");
        async Task<string> Text(object extra) => (await AskAsync(false, false, request, extra)).Text;

        var greedy = await Text(new { temperature = 0 });
        Assert.Equal(greedy, await Text(new { temperature = 0, seed = 42 }));
        Assert.NotEqual(greedy, await Text(new { temperature = 1 }));
        Assert.NotEqual(await Text(new { seed = 1 }), await Text(new { seed = 2 }));
        Assert.NotEqual(greedy, await Text(new { temperature = 0, frequency_penalty = 2 }));
        Assert.Equal(greedy, await Text(new { top_k = 1, seed = 3 }));
    }

    private (Dictionary<string, object> Request, string[] Tokens) Request(bool chat, string tag)
    {
        var prompt = $"Tell me about {tag}.";
        IReadOnlyList<int> promptTokens;
        var request = new Dictionary<string, object> { ["max_tokens"] = Budget };
        if (chat)
        {
            request["messages"] = new[] { new { role = "user", content = prompt } };
            promptTokens = PromptReader.Chat([new ChatMessage { Role = "user", Content = JsonSerializer.SerializeToElement(prompt) }]);
        }
        else
        {
            request["prompt"] = prompt;
            promptTokens = PromptTokenizer.Instance.Encode(prompt);
        }
        var sampler = new TokenSampler(promptTokens, new SamplingSettings());
        return (request, [.. Enumerable.Range(0, Budget).Select(_ => PseudoText.TokenText(sampler.Next()))]);
    }

    private static int TokensThrough(string[] tokens, int chars)
    {
        var length = 0;
        for (var n = 1; n <= tokens.Length; n++)
            if ((length += tokens[n - 1].Length) >= chars) return n;
        throw new InvalidOperationException("not that long");
    }

    private static string Merge(Dictionary<string, object> request, params object[] extras)
    {
        var merged = JsonSerializer.SerializeToNode(request, Json.Options)!.AsObject();
        foreach (var extra in extras)
            foreach (var (name, value) in JsonSerializer.SerializeToNode(extra, Json.Options)!.AsObject())
                merged[name] = value?.DeepClone();
        return merged.ToJsonString();
    }

    private async Task<Answer> AskAsync(bool chat, bool stream, Dictionary<string, object> request, object extra)
    {
        var path = chat ? "/v1/chat/completions" : "/v1/completions";
        if (!stream)
        {
            var (status, body) = await Worker.PostAsync(path, Merge(request, extra));
            Assert.True(status == 200, body.ToString());
            var choice = body.GetProperty("choices")[0];
            var text = chat ? choice.GetProperty("message").GetProperty("content").GetString()! : choice.GetProperty("text").GetString()!;
            return new Answer(text, choice.GetProperty("finish_reason").GetString()!, StopReason(choice),
                body.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        }
        var streamed = Merge(request, extra, new { stream = true, stream_options = new { include_usage = true } });
        var (code, _, chunks, done) = await SseClient.StreamAsync(Worker.Http, path, streamed);
        Assert.Equal(200, code);
        Assert.True(done);
        var last = chunks[^2].GetProperty("choices")[0];
        // Only the last chunk carries the finish.
        Assert.All(chunks.SkipLast(2), c => Assert.All(c.GetProperty("choices").EnumerateArray(), ch =>
            Assert.False(ch.TryGetProperty("finish_reason", out _))));
        return new Answer(SseClient.Text(chunks), last.GetProperty("finish_reason").GetString()!, StopReason(last),
            chunks[^1].GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    private static JsonElement StopReason(JsonElement choice) =>
        choice.TryGetProperty("stop_reason", out var reason) ? reason : default;

    private sealed record Answer(string Text, string Finish, JsonElement StopReason, int CompletionTokens);
}
