using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DisaggServing.Protocol;
using DisaggServing.Protocol.Tokenization;

namespace DisaggServing.IntegrationTests;

/// <summary>
/// stop and stop_token_ids through the router, on both routes (P/D and decode-only), both endpoints, whole and
/// streamed: the output ends where vLLM ends it, finish_reason "stop" with vLLM's stop_reason, and usage counts
/// every token generated up to the stop. The expectation is the same request's answer without stops, asked of a
/// prefill worker directly so that the decode engines have not cached the prompt and the router still sends it P/D.
/// </summary>
[Collection(AppCollection.Name)]
public sealed partial class StopTests(AppFixture fixture)
{
    private const int Budget = 24;

    public static TheoryData<bool, bool, bool> Cases()
    {
        var cases = new TheoryData<bool, bool, bool>();
        foreach (var chat in new[] { false, true })
            foreach (var stream in new[] { false, true })
                foreach (var pd in new[] { false, true })
                    cases.Add(chat, stream, pd);
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_stop_string_ends_the_output_before_it(bool chat, bool stream, bool pd)
    {
        var request = Request(chat, pd, Seed(600, chat, stream, pd));
        var baseline = await BaselineAsync(chat, request);
        var tokens = Tokens(baseline.Text);
        var stop = (tokens[8] + tokens[9] + tokens[10])[1..^1]; // across token boundaries
        var at = baseline.Text.IndexOf(stop, StringComparison.Ordinal);

        request["stop"] = new JsonArray("never in this text", stop);
        var answer = await AskAsync(chat, stream, request, pd ? "pd" : "decode-only");

        Assert.Equal(baseline.Text[..at], answer.Text);
        Assert.Equal(("stop", stop), (answer.Finish, answer.StopReason?.GetValue<string>()));
        Assert.Equal(TokensThrough(tokens, at + stop.Length), answer.CompletionTokens);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_stop_token_ends_the_output_and_is_counted_but_not_shown(bool chat, bool stream, bool pd)
    {
        var request = Request(chat, pd, Seed(700, chat, stream, pd));
        var baseline = await BaselineAsync(chat, request);
        var tokens = Tokens(baseline.Text);
        var id = Assert.Single(PromptTokenizer.Instance.Encode(tokens[6]));
        var first = Array.IndexOf(tokens, tokens[6]);

        request["stop_token_ids"] = new JsonArray(id);
        var answer = await AskAsync(chat, stream, request, pd ? "pd" : "decode-only");

        Assert.Equal(string.Concat(tokens.Take(first)), answer.Text);
        Assert.Equal(("stop", id), (answer.Finish, answer.StopReason?.GetValue<int>()));
        Assert.Equal(first + 1, answer.CompletionTokens);

        request["include_stop_str_in_output"] = true;
        var included = await AskAsync(chat, stream, request, route: null); // the decode engine may have the prompt cached now
        Assert.Equal(string.Concat(tokens.Take(first + 1)), included.Text);
        Assert.Equal(first + 1, included.CompletionTokens);
    }

    private static int Seed(int test, bool chat, bool stream, bool pd) => test + (chat ? 4 : 0) + (stream ? 2 : 0) + (pd ? 1 : 0);

    private JsonObject Request(bool chat, bool pd, int seed)
    {
        var prompt = pd ? Prompts.Long(seed) : $"{Prompts.Short} ({seed})";
        var request = new JsonObject { ["model"] = fixture.Model, ["max_tokens"] = Budget };
        if (chat)
            request["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = prompt });
        else
            request["prompt"] = prompt;
        return request;
    }

    /// <summary>The answer's tokens: the simulated model writes whole words and punctuation, one token each.</summary>
    private static string[] Tokens(string text)
    {
        var tokens = TokenPattern().Matches(text).Select(m => m.Value).ToArray();
        Assert.Equal(text, string.Concat(tokens));
        Assert.Equal(Budget, tokens.Length);
        return tokens;
    }

    [GeneratedRegex(@"^\w+| \w+|[^\w ]")]
    private static partial Regex TokenPattern();

    private static int TokensThrough(string[] tokens, int chars)
    {
        var length = 0;
        for (var n = 1; n <= tokens.Length; n++)
            if ((length += tokens[n - 1].Length) >= chars) return n;
        throw new InvalidOperationException("The text is shorter than that.");
    }

    private async Task<Answer> BaselineAsync(bool chat, JsonObject request)
    {
        using var worker = fixture.Worker("prefill-1");
        using var response = await worker.PostAsJsonAsync(chat ? "/v1/chat/completions" : "/v1/completions", request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var whole = (await response.Content.ReadFromJsonAsync<JsonNode>())!;
        var choice = whole["choices"]![0]!;
        Assert.Equal("length", (string)choice["finish_reason"]!);
        var text = chat ? (string)choice["message"]!["content"]! : (string)choice["text"]!;
        return new Answer(text, "length", null, (int)whole["usage"]!["completion_tokens"]!);
    }

    private async Task<Answer> AskAsync(bool chat, bool stream, JsonObject request, string? route)
    {
        var body = (JsonObject)request.DeepClone();
        if (stream)
        {
            body["stream"] = true;
            body["stream_options"] = new JsonObject { ["include_usage"] = true };
        }
        using var message = new HttpRequestMessage(HttpMethod.Post, chat ? "/v1/chat/completions" : "/v1/completions") { Content = JsonContent.Create(body) };
        using var response = await fixture.Router.SendAsync(message, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        if (route is not null)
            Assert.Equal(route, response.Headers.GetValues(HeaderNames.Route).Single());
        if (!stream)
        {
            var whole = (await response.Content.ReadFromJsonAsync<JsonNode>())!;
            var choice = whole["choices"]![0]!;
            var text = chat ? (string)choice["message"]!["content"]! : (string)choice["text"]!;
            return new Answer(text, (string)choice["finish_reason"]!, choice["stop_reason"], (int)whole["usage"]!["completion_tokens"]!);
        }
        var events = await Sse.ReadAll(response);
        Assert.Equal("[DONE]", events[^1]);
        var chunks = events[..^1].Select(e => JsonNode.Parse(e)!).ToList();
        var choices = chunks.SelectMany(c => c["choices"]!.AsArray()).Select(c => c!).ToList();
        var streamed = string.Concat(choices.Select(c => chat ? (string?)c["delta"]?["content"] : (string?)c["text"]));
        var last = choices[^1];
        Assert.All(choices.SkipLast(1), c => Assert.Null(c["finish_reason"]));
        return new Answer(streamed, (string)last["finish_reason"]!, last["stop_reason"], (int)chunks[^1]["usage"]!["completion_tokens"]!);
    }

    private sealed record Answer(string Text, string Finish, JsonNode? StopReason, int CompletionTokens);
}
