using System.Net;
using System.Text;
using DisaggServing.Protocol.OpenAi;
using DisaggServing.Worker.Tests.Support;

namespace DisaggServing.Worker.Tests;

/// <summary>Every refusal is OpenAI-shaped with vLLM's status, names the field, and leaves the engine clean.</summary>
public sealed class ValidationTests(InstantWorkerFixture fixture) : IClassFixture<InstantWorkerFixture>
{
    private const string Completions = "/v1/completions";
    private const string Chat = "/v1/chat/completions";

    private WorkerHost Worker => fixture.Worker;

    public static TheoryData<string, string, string?> BadRequests => new()
    {
        { Completions, "{\"prompt\": \"hi\", ", null },
        { Chat, "not json", null },
        { Completions, "", null },
        { Completions, "[1, 2]", null },
        { Completions, "{\"max_tokens\": 5}", "prompt" },
        { Completions, "{\"prompt\": null}", "prompt" },
        { Completions, "{\"prompt\": \"\"}", "prompt" },
        { Completions, "{\"prompt\": []}", "prompt" },
        { Completions, "{\"prompt\": 42}", "prompt" },
        { Completions, "{\"prompt\": {\"text\": \"hi\"}}", "prompt" },
        { Completions, "{\"prompt\": [\"a\", \"b\"]}", "prompt" },
        { Completions, "{\"prompt\": [1, -2]}", "prompt" },
        { Completions, "{\"prompt\": \"hi\", \"max_tokens\": 1.5}", "max_tokens" },
        { Completions, "{\"prompt\": \"hi\", \"max_tokens\": 0}", "max_tokens" },
        { Completions, "{\"prompt\": \"hi\", \"max_tokens\": -3}", "max_tokens" },
        { Completions, "{\"prompt\": \"hi\", \"n\": 2}", "n" },
        { Completions, "{\"prompt\": \"hi\", \"n\": 0}", "n" },
        { Completions, "{\"prompt\": \"hi\", \"temperature\": -1}", "temperature" },
        { Completions, "{\"prompt\": \"hi\", \"top_p\": 0}", "top_p" },
        { Completions, "{\"prompt\": \"hi\", \"echo\": true}", "echo" },
        { Completions, "{\"prompt\": \"hi\", \"stop\": \"\"}", "stop" },
        { Completions, "{\"prompt\": \"hi\", \"stop\": [\"end\", \"\"]}", "stop" },
        { Completions, "{\"prompt\": \"hi\", \"stop\": [\"end\", 5]}", "stop" },
        { Completions, "{\"prompt\": \"hi\", \"stop\": 5}", "stop" },
        { Completions, "{\"prompt\": \"hi\", \"stop_token_ids\": [\"a\"]}", "stop_token_ids" },
        { Completions, "{\"prompt\": \"hi\", \"top_k\": -2}", "top_k" },
        { Completions, "{\"prompt\": \"hi\", \"min_p\": 1.5}", "min_p" },
        { Completions, "{\"prompt\": \"hi\", \"presence_penalty\": 2.5}", "presence_penalty" },
        { Completions, "{\"prompt\": \"hi\", \"frequency_penalty\": -3}", "frequency_penalty" },
        { Completions, "{\"prompt\": \"hi\", \"repetition_penalty\": 0}", "repetition_penalty" },
        { Completions, "{\"prompt\": \"hi\", \"logprobs\": 1}", "logprobs" },
        { Chat, "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"logprobs\": true}", "logprobs" },
        { Chat, "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"top_logprobs\": 2}", "top_logprobs" },
        { Completions, "{\"prompt\": \"hi\", \"stream_options\": {\"include_usage\": true}}", "stream_options" },
        { Completions, "{\"prompt\": \"hi\", \"max_tokens\": 600}", "max_tokens" },
        { Chat, "{\"model\": \"x\"}", "messages" },
        { Chat, "{\"messages\": []}", "messages" },
        { Chat, "{\"messages\": \"hello\"}", "messages" },
        { Chat, "{\"messages\": [{\"content\": \"hi\"}]}", "messages" },
        { Chat, "{\"messages\": [{\"role\": 5, \"content\": \"hi\"}]}", "messages" },
        { Chat, "{\"messages\": [{\"role\": \"user\", \"content\": 5}]}", "messages" },
        { Chat, "{\"messages\": [{\"role\": \"user\", \"content\": [{\"type\": \"image_url\"}]}]}", "messages" },
        { Chat, "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"max_completion_tokens\": 0}", "max_completion_tokens" },
        { Chat, "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"kv_transfer_params\": {\"do_remote_prefill\": true}}", "kv_transfer_params" },
        { Chat, "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"kv_transfer_params\": {\"do_remote_prefill\": true, \"do_remote_decode\": true}}", "kv_transfer_params" },
        { Chat, "{\"messages\": [{\"role\": \"user\", \"content\": \"hi\"}], \"stream\": true, \"kv_transfer_params\": {\"do_remote_decode\": true}}", "stream" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_requests_get_400_in_the_OpenAI_shape(string path, string body, string? param)
    {
        var (status, response) = await Worker.PostAsync(path, body);

        Assert.Equal(400, status);
        // vLLM's two 400s: "Bad Request" from its request models, "BadRequestError" from its serving layer.
        var error = response.GetProperty("error");
        Assert.Contains(error.GetProperty("type").GetString(), (string[])[ErrorTypes.VllmSchema, ErrorTypes.VllmBadRequest]);
        Json.AssertError(response, error.GetProperty("type").GetString()!);
        Assert.Equal(400, error.GetProperty("code").GetInt32());
        if (param is not null)
            Assert.Equal(param, Json.Param(error));
        await AssertHealthyAndClean();
    }

    [Theory]
    [InlineData(Completions, "{\"model\": \"gpt-4o\", \"prompt\": \"hi\"}")]
    [InlineData(Chat, "{\"model\": \"gpt-4o\", \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}")]
    [InlineData("/tokenize", "{\"model\": \"gpt-4o\", \"prompt\": \"hi\"}")]
    public async Task Unknown_model_is_404(string path, string body)
    {
        var (status, response) = await Worker.PostAsync(path, body);

        Assert.Equal(404, status);
        var error = Json.AssertError(response, ErrorTypes.VllmNotFound);
        Assert.Equal("model", Json.Param(error));
        Assert.Contains("gpt-4o", error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_prompt_beyond_the_context_is_400_context_length_exceeded()
    {
        var prompt = string.Join(' ', Enumerable.Repeat("token", InstantWorkerFixture.MaxModelLen + 10));
        var (status, response) = await Worker.PostAsync(Completions, Json.Of(new { prompt, max_tokens = 1 }));

        Assert.Equal(400, status);
        var error = Json.AssertError(response, ErrorTypes.VllmBadRequest);
        Assert.Equal(400, error.GetProperty("code").GetInt32());
        Assert.Contains(InstantWorkerFixture.MaxModelLen.ToString(), error.GetProperty("message").GetString());
    }

    [Fact]
    public async Task Model_name_matches_case_insensitively_and_may_be_omitted()
    {
        var upper = await Worker.PostAsync(Completions, Json.Of(new { model = Worker.Settings.ModelId.ToUpperInvariant(), prompt = "hi", max_tokens = 1 }));
        var none = await Worker.PostAsync(Completions, Json.Of(new { prompt = "hi", max_tokens = 1 }));

        Assert.Equal(200, upper.Status);
        Assert.Equal(200, none.Status);
    }

    [Fact]
    public async Task Unknown_routes_and_methods_are_OpenAI_shaped()
    {
        using var missing = await Worker.Http.GetAsync("/v1/nothing");
        using var wrongMethod = await Worker.Http.GetAsync(Completions);

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Json.AssertError(System.Text.Json.JsonDocument.Parse(await missing.Content.ReadAsStringAsync()).RootElement, ErrorTypes.RouteNotFound);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrongMethod.StatusCode);
        Json.AssertError(System.Text.Json.JsonDocument.Parse(await wrongMethod.Content.ReadAsStringAsync()).RootElement, ErrorTypes.MethodNotAllowed);
    }

    private async Task AssertHealthyAndClean()
    {
        using var health = await Worker.Http.GetAsync("/health");
        Assert.True(health.IsSuccessStatusCode);
        var state = await Worker.StateAsync();
        Assert.Equal(0, state.BlocksUsed);
        Assert.Equal(0, state.Running + state.Waiting);
    }
}
