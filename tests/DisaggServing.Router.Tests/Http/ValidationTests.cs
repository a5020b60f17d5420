using System.Net;
using DisaggServing.Router.Tests.Fakes;

namespace DisaggServing.Router.Tests.Http;

/// <summary>Bad inputs get the right 4xx with OpenAI-shaped JSON before anything reaches a worker, and the router stays healthy.</summary>
public class ValidationTests(PdClusterFixture cluster) : IClassFixture<PdClusterFixture>
{
    public static TheoryData<string, string, int, string?> BadBodies => new()
    {
        { "v1/chat/completions", """{"model":"test-model","messages":[{"role":"user","content":"hi"}""", 400, null },
        { "v1/chat/completions", """not json""", 400, null },
        { "v1/chat/completions", """[1,2]""", 400, null },
        { "v1/chat/completions", """{"model":"test-model"}""", 400, "messages" },
        { "v1/chat/completions", """{"model":"test-model","messages":[]}""", 400, "messages" },
        { "v1/chat/completions", """{"model":"test-model","messages":"hi"}""", 400, "messages" },
        { "v1/chat/completions", """{"model":"test-model","messages":[{"content":"hi"}]}""", 400, "messages" },
        { "v1/chat/completions", """{"model":"test-model","messages":[{"role":"user","content":5}]}""", 400, "messages" },
        { "v1/chat/completions", """{"model":"test-model","messages":[{"role":"user","content":"hi"}],"max_tokens":0}""", 400, "max_tokens" },
        { "v1/chat/completions", """{"model":"test-model","messages":[{"role":"user","content":"hi"}],"max_completion_tokens":-3}""", 400, "max_completion_tokens" },
        { "v1/chat/completions", """{"model":"test-model","messages":[{"role":"user","content":"hi"}],"max_tokens":65}""", 400, "max_tokens" },
        { "v1/chat/completions", """{"model":"test-model","messages":[{"role":"user","content":"hi"}],"max_tokens":2.5}""", 400, "max_tokens" },
        { "v1/chat/completions", """{"model":"test-model","messages":[{"role":"user","content":"hi"}],"temperature":"hot"}""", 400, "temperature" },
        { "v1/chat/completions", """{"model":"test-model","messages":[{"role":"user","content":"hi"}],"stop":[1]}""", 400, "stop" },
        { "v1/completions", """{"model":"test-model","prompt":"hi","stop_token_ids":["a"]}""", 400, "stop_token_ids" },
        { "v1/completions", """{"model":"test-model","prompt":"hi","stop_token_ids":7}""", 400, "stop_token_ids" },
        { "v1/completions", """{"model":"test-model","prompt":"hi","top_k":1.5}""", 400, "top_k" },
        { "v1/chat/completions", """{"model":"test-model","messages":[{"role":"user","content":"hi"}],"n":0}""", 400, "n" },
        // Python's json keeps the last of duplicate keys, so vLLM looks up model "x".
        { "v1/chat/completions", """{"model":"test-model","model":"x","messages":[{"role":"user","content":"hi"}]}""", 404, "model" },
        { "v1/chat/completions", """{"model":7,"messages":[{"role":"user","content":"hi"}]}""", 400, "model" },
        { "v1/chat/completions", """{"model":"no-such-model","messages":[{"role":"user","content":"hi"}]}""", 404, "model" },
        { "v1/completions", """{"model":"test-model"}""", 400, "prompt" },
        { "v1/completions", """{"model":"test-model","prompt":""}""", 400, "prompt" },
        { "v1/completions", """{"model":"test-model","prompt":{"a":1}}""", 400, "prompt" },
        { "v1/completions", """{"model":"test-model","prompt":[1,"a"]}""", 400, "prompt" },
        { "v1/completions", """{"model":"test-model","prompt":[-1]}""", 400, "prompt" },
        { "v1/completions", """{"model":"no-such-model","prompt":"hi"}""", 404, "model" },
        { "v1/completions", """{"model":"test-model","prompt":"hi","max_tokens":-1}""", 400, "max_tokens" },
    };

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Bad_bodies_get_openai_errors_and_reach_no_worker(string path, string body, int status, string? param)
    {
        var id = Bodies.NewId();
        using var response = await cluster.Client.SendAsync(Bodies.Post(path, body, id));
        var error = await Bodies.AssertOpenAiErrorAsync(response, status);
        if (param is not null) Assert.Equal(param, (string?)error["param"]);
        Assert.Empty(cluster.Workers.SelectMany(w => w.CallsFor(id)));
        await AssertHealthyAsync();
    }

    [Fact]
    public async Task A_prompt_beyond_the_context_is_400()
    {
        var id = Bodies.NewId();
        using var response = await cluster.Client.SendAsync(Bodies.Post("v1/completions", Bodies.Completion(Bodies.Words(1200)), id));
        var error = await Bodies.AssertOpenAiErrorAsync(response, 400);
        Assert.Equal(400, (int)error["code"]!);
        Assert.Equal("BadRequestError", (string?)error["type"]);
        Assert.Contains("maximum context length is 1000 tokens", (string)error["message"]!);
        Assert.Empty(cluster.Workers.SelectMany(w => w.CallsFor(id)));

        // Prompt fits, prompt + max_tokens does not.
        using var near = await cluster.Client.SendAsync(Bodies.Post("v1/completions", Bodies.Completion(Bodies.Words(490), maxTokens: 64)));
        await Bodies.AssertOpenAiErrorAsync(near, 400);
        await AssertHealthyAsync();
    }

    [Fact]
    public async Task An_oversized_body_is_413()
    {
        var id = Bodies.NewId();
        var huge = Bodies.Completion(new string('a', 70_000));
        using var response = await cluster.Client.SendAsync(Bodies.Post("v1/completions", huge, id));
        var error = await Bodies.AssertOpenAiErrorAsync(response, 413);
        Assert.Equal("request_too_large", (string?)error["code"]);
        Assert.Empty(cluster.Workers.SelectMany(w => w.CallsFor(id)));

        // Without a Content-Length (chunked) the limit holds too.
        var chunked = new HttpRequestMessage(HttpMethod.Post, "v1/completions")
        {
            Content = new StreamContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(huge.ToJsonString()))),
        };
        chunked.Headers.TransferEncodingChunked = true;
        using var chunkedResponse = await cluster.Client.SendAsync(chunked);
        await Bodies.AssertOpenAiErrorAsync(chunkedResponse, 413);
        await AssertHealthyAsync();
    }

    [Fact]
    public async Task Valid_variants_pass()
    {
        string[] bodies =
        [
            """{"messages":[{"role":"user","content":"hi"}]}""",
            """{"model":"test-model","messages":[{"role":"system","content":null},{"role":"user","content":[{"type":"text","text":"hi"}]}],"stop":"x","n":1,"seed":3,"temperature":0.2,"stream_options":null}""",
        ];
        foreach (var body in bodies)
        {
            using var response = await cluster.Client.SendAsync(Bodies.Post("v1/chat/completions", body));
            Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        }
        string[] completions = ["""{"prompt":[1,2,3]}""", """{"prompt":["a","b"]}""", """{"prompt":[[1,2],[3]]}"""];
        foreach (var body in completions)
        {
            using var response = await cluster.Client.SendAsync(Bodies.Post("v1/completions", body));
            Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        }
    }

    private async Task AssertHealthyAsync()
    {
        using var health = await cluster.Client.GetAsync("health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }
}
