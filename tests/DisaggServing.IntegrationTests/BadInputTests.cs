using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace DisaggServing.IntegrationTests;

[Collection(AppCollection.Name)]
public sealed class BadInputTests(AppFixture fixture)
{
    public static TheoryData<string, string, int> Cases() => new()
    {
        { "/v1/chat/completions", "{not json", 400 },
        { "/v1/chat/completions", """{"model":"meta-llama/Llama-3.3-70B-Instruct"}""", 400 },
        { "/v1/chat/completions", """{"model":"meta-llama/Llama-3.3-70B-Instruct","messages":"hello"}""", 400 },
        { "/v1/chat/completions", """{"model":"meta-llama/Llama-3.3-70B-Instruct","messages":[{"role":"user","content":"hi"}],"max_tokens":"ten"}""", 400 },
        { "/v1/chat/completions", """{"model":"no-such-model","messages":[{"role":"user","content":"hi"}]}""", 404 },
        { "/v1/chat/completions", """{"model":"meta-llama/Llama-3.3-70B-Instruct","messages":[{"role":"user","content":"hi"}],"max_tokens":0}""", 400 },
        { "/v1/completions", """{"model":"meta-llama/Llama-3.3-70B-Instruct","prompt":"hi","max_tokens":-3}""", 400 },
        { "/v1/completions", """{"model":"meta-llama/Llama-3.3-70B-Instruct","max_tokens":3}""", 400 },
        { "/v1/completions", """{"model":"meta-llama/Llama-3.3-70B-Instruct","prompt":"hi","max_tokens":10000000}""", 400 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Bad_requests_get_openai_shaped_errors(string path, string body, int status)
    {
        using var response = await fixture.Router.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(status, (int)response.StatusCode);
        await AssertErrorShape(response);
    }

    [Fact]
    public async Task A_prompt_beyond_the_context_is_rejected()
    {
        var huge = string.Concat(Enumerable.Repeat("token ", 40_000));
        using var response = await fixture.Router.PostAsJsonAsync("/v1/completions", new { model = fixture.Model, prompt = huge, max_tokens = 4 });
        Assert.Equal(400, (int)response.StatusCode);
        await AssertErrorShape(response);
    }

    [Fact]
    public async Task An_oversized_body_is_rejected_and_the_app_stays_healthy()
    {
        var body = new string('x', 16 * 1024 * 1024);
        using var response = await fixture.Router.PostAsync("/v1/completions", new StringContent($$"""{"prompt":"{{body}}"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        await AssertErrorShape(response);
        using var health = await fixture.Router.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    private static async Task AssertErrorShape(HttpResponseMessage response)
    {
        var json = await response.Content.ReadFromJsonAsync<JsonElement>();
        var error = json.GetProperty("error");
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("type").GetString()));
        Assert.True(error.TryGetProperty("param", out _));
        Assert.True(error.TryGetProperty("code", out _));
    }
}
