using System.Text.Json;
using DisaggServing.Protocol;
using DisaggServing.Protocol.Tokenization;
using DisaggServing.Worker.Tests.Support;

namespace DisaggServing.Worker.Tests;

public sealed class CompletionApiTests(InstantWorkerFixture fixture) : IClassFixture<InstantWorkerFixture>
{
    private WorkerHost Worker => fixture.Worker;

    [Fact]
    public async Task Completion_returns_text_usage_and_length_finish()
    {
        var (status, body) = await Worker.PostAsync("/v1/completions", Json.Of(new { model = Worker.Settings.ModelId, prompt = Prompts.Short, max_tokens = 7 }));

        Assert.Equal(200, status);
        Assert.Equal("text_completion", body.GetProperty("object").GetString());
        Assert.StartsWith("cmpl-", body.GetProperty("id").GetString());
        Assert.Equal(Worker.Settings.ModelId, body.GetProperty("model").GetString());
        var choice = Assert.Single(body.GetProperty("choices").EnumerateArray());
        Assert.Equal("length", choice.GetProperty("finish_reason").GetString());
        var text = choice.GetProperty("text").GetString()!;
        Assert.Equal(7, PromptTokenizer.Instance.Count(text));
        var usage = body.GetProperty("usage");
        Assert.Equal(PromptTokenizer.Instance.Count(Prompts.Short), usage.GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(7, usage.GetProperty("completion_tokens").GetInt32());
        Assert.Equal(usage.GetProperty("prompt_tokens").GetInt32() + 7, usage.GetProperty("total_tokens").GetInt32());
        Assert.False(body.TryGetProperty("kv_transfer_params", out _));
    }

    [Fact]
    public async Task Completion_without_max_tokens_generates_sixteen()
    {
        var (status, body) = await Worker.PostAsync("/v1/completions", Json.Of(new { prompt = Prompts.Short }));

        Assert.Equal(200, status);
        Assert.Equal(16, body.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task Same_request_gets_same_text_and_other_prompts_other_text()
    {
        var request = Json.Of(new { prompt = Prompts.Medium, max_tokens = 20 });
        var first = await Worker.PostAsync("/v1/completions", request);
        var second = await Worker.PostAsync("/v1/completions", request);
        var other = await Worker.PostAsync("/v1/completions", Json.Of(new { prompt = Prompts.Short, max_tokens = 20 }));

        Assert.Equal(Text(first.Body), Text(second.Body));
        Assert.NotEqual(Text(first.Body), Text(other.Body));
    }

    [Fact]
    public async Task Streamed_completion_matches_the_whole_one_and_ends_with_usage_and_done()
    {
        var whole = await Worker.PostAsync("/v1/completions", Json.Of(new { prompt = Prompts.Medium, max_tokens = 12 }));
        var (status, contentType, chunks, done) = await SseClient.StreamAsync(Worker.Http, "/v1/completions",
            Json.Of(new { prompt = Prompts.Medium, max_tokens = 12, stream = true, stream_options = new { include_usage = true } }));

        Assert.Equal(200, status);
        Assert.Equal("text/event-stream", contentType);
        Assert.True(done);
        Assert.Equal(Text(whole.Body), SseClient.Text(chunks));
        var usage = chunks[^1];
        Assert.Empty(usage.GetProperty("choices").EnumerateArray());
        Assert.Equal(12, usage.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        var last = chunks[^2].GetProperty("choices")[0];
        Assert.Equal("length", last.GetProperty("finish_reason").GetString());
        Assert.All(chunks, c => Assert.Equal("text_completion", c.GetProperty("object").GetString()));
    }

    [Fact]
    public async Task Stream_without_include_usage_has_no_usage_chunk()
    {
        var (_, _, chunks, done) = await SseClient.StreamAsync(Worker.Http, "/v1/completions", Json.Of(new { prompt = Prompts.Short, max_tokens = 3, stream = true }));

        Assert.True(done);
        Assert.All(chunks, c => Assert.False(c.TryGetProperty("usage", out _)));
        Assert.Equal(3, PromptTokenizer.Instance.Count(SseClient.Text(chunks)));
    }

    [Fact]
    public async Task Chat_returns_an_assistant_message_with_usage()
    {
        var messages = new[] { new { role = "system", content = "Be brief." }, new { role = "user", content = Prompts.Short } };
        var (status, body) = await Worker.PostAsync("/v1/chat/completions", Json.Of(new { messages, max_tokens = 9 }));

        Assert.Equal(200, status);
        Assert.Equal("chat.completion", body.GetProperty("object").GetString());
        Assert.StartsWith("chatcmpl-", body.GetProperty("id").GetString());
        var choice = Assert.Single(body.GetProperty("choices").EnumerateArray());
        Assert.Equal("assistant", choice.GetProperty("message").GetProperty("role").GetString());
        Assert.Equal(9, PromptTokenizer.Instance.Count(choice.GetProperty("message").GetProperty("content").GetString()!));
        var expectedPrompt = PromptTokenizer.Instance.Count(ChatTemplate.Render(
            [new() { Role = "system", Content = JsonSerializer.SerializeToElement("Be brief.") }, new() { Role = "user", Content = JsonSerializer.SerializeToElement(Prompts.Short) }]));
        Assert.Equal(expectedPrompt, body.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
    }

    [Fact]
    public async Task Chat_without_a_budget_stops_at_its_natural_end()
    {
        var request = Json.Of(new { messages = new[] { new { role = "user", content = Prompts.Medium } } });
        var (status, body) = await Worker.PostAsync("/v1/chat/completions", request);
        var again = await Worker.PostAsync("/v1/chat/completions", request);

        Assert.Equal(200, status);
        var tokens = body.GetProperty("usage").GetProperty("completion_tokens").GetInt32();
        Assert.InRange(tokens, 32, 256);
        Assert.Equal("stop", body.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Equal(tokens, again.Body.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task Max_completion_tokens_wins_over_max_tokens()
    {
        var (_, body) = await Worker.PostAsync("/v1/chat/completions",
            Json.Of(new { messages = new[] { new { role = "user", content = "hi" } }, max_tokens = 10, max_completion_tokens = 4 }));

        Assert.Equal(4, body.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task Streamed_chat_opens_with_the_role_and_ends_with_finish_reason_usage_and_done()
    {
        var request = new { messages = new[] { new { role = "user", content = Prompts.Medium } }, max_tokens = 6 };
        var whole = await Worker.PostAsync("/v1/chat/completions", Json.Of(request));
        var (status, _, chunks, done) = await SseClient.StreamAsync(Worker.Http, "/v1/chat/completions",
            Json.Of(new { request.messages, request.max_tokens, stream = true, stream_options = new { include_usage = true } }));

        Assert.Equal(200, status);
        Assert.True(done);
        Assert.Equal("assistant", chunks[0].GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString());
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c.GetProperty("object").GetString()));
        Assert.Equal(whole.Body.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString(), SseClient.Text(chunks));
        Assert.Equal("length", chunks[^2].GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Equal(6, chunks[^1].GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task Token_id_prompts_and_text_part_messages_are_accepted()
    {
        var ids = PromptTokenizer.Instance.Encode(Prompts.Short);
        var byIds = await Worker.PostAsync("/v1/completions", Json.Of(new { prompt = ids, max_tokens = 5 }));
        var byText = await Worker.PostAsync("/v1/completions", Json.Of(new { prompt = new[] { Prompts.Short }, max_tokens = 5 }));
        var parts = await Worker.PostAsync("/v1/chat/completions",
            Json.Of(new { messages = new[] { new { role = "user", content = new[] { new { type = "text", text = "hi" } } } }, max_tokens = 2 }));

        Assert.Equal(200, byIds.Status);
        Assert.Equal(Text(byText.Body), Text(byIds.Body));
        Assert.Equal(200, parts.Status);
    }

    [Fact]
    public async Task Request_id_header_is_echoed_and_names_the_response()
    {
        var (_, body) = await Worker.PostAsync("/v1/completions", Json.Of(new { prompt = "x", max_tokens = 1 }),
            new Dictionary<string, string> { [HeaderNames.RequestId] = "abc-123" });

        Assert.Equal("cmpl-abc-123", body.GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_both_worker_can_be_its_own_prefill_and_decode_under_one_request_id()
    {
        var body = Json.Of(new { prompt = Prompts.Unique("self-pd"), max_tokens = 5 });
        var kv = await PdClient.PrefillAsync(Worker, "/v1/completions", body, "same-id");

        var (status, response) = await Worker.PostAsync("/v1/completions", PdClient.DecodeBody(body, kv), PdClient.Headers("same-id"));

        Assert.Equal(200, status);
        Assert.Equal(5, response.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        await Worker.WaitDrainedAsync();
    }

    [Fact]
    public async Task Models_lists_the_served_model_with_its_context()
    {
        var body = JsonDocument.Parse(await Worker.Http.GetStringAsync("/v1/models")).RootElement;

        Assert.Equal("list", body.GetProperty("object").GetString());
        var model = Assert.Single(body.GetProperty("data").EnumerateArray());
        Assert.Equal(Worker.Settings.ModelId, model.GetProperty("id").GetString());
        Assert.Equal("model", model.GetProperty("object").GetString());
        Assert.Equal(InstantWorkerFixture.MaxModelLen, model.GetProperty("max_model_len").GetInt32());
    }

    [Fact]
    public async Task Tokenize_counts_with_the_shared_tokenizer()
    {
        var prompt = await Worker.PostAsync("/tokenize", Json.Of(new { prompt = Prompts.Medium }));
        var chat = await Worker.PostAsync("/tokenize", Json.Of(new { messages = new[] { new { role = "user", content = "hi" } } }));
        var none = await Worker.PostAsync("/tokenize", Json.Of(new { model = Worker.Settings.ModelId }));

        Assert.Equal(200, prompt.Status);
        Assert.Equal(PromptTokenizer.Instance.Count(Prompts.Medium), prompt.Body.GetProperty("count").GetInt32());
        Assert.Equal(PromptTokenizer.Instance.Encode(Prompts.Medium), prompt.Body.GetProperty("tokens").EnumerateArray().Select(t => t.GetInt32()));
        Assert.Equal(InstantWorkerFixture.MaxModelLen, prompt.Body.GetProperty("max_model_len").GetInt32());
        Assert.True(chat.Body.GetProperty("count").GetInt32() > 5);
        Assert.Equal(400, none.Status);
    }

    [Fact]
    public async Task Health_is_ok_once_the_engine_runs()
    {
        using var response = await Worker.Http.GetAsync("/health");

        Assert.True(response.IsSuccessStatusCode);
    }

    private static string Text(JsonElement completion) => completion.GetProperty("choices")[0].GetProperty("text").GetString()!;
}
