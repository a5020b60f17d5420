using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace DisaggServing.Router.Tests.Fakes;

/// <summary>Request helpers.</summary>
public static class Bodies
{
    /// <summary>A prompt of about <paramref name="words"/> tokens.</summary>
    public static string Words(int words) => string.Join(' ', Enumerable.Range(0, words).Select(i => "word" + (i % 10)));

    public static JsonObject Chat(string content, bool stream = false, int maxTokens = 4) => new()
    {
        ["model"] = "test-model",
        ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = content }),
        ["stream"] = stream,
        ["max_tokens"] = maxTokens,
    };

    public static JsonObject Completion(string prompt, bool stream = false, int maxTokens = 4) => new()
    {
        ["model"] = "test-model",
        ["prompt"] = prompt,
        ["stream"] = stream,
        ["max_tokens"] = maxTokens,
    };

    public static HttpRequestMessage Post(string path, JsonObject body, string? requestId = null) =>
        Post(path, body.ToJsonString(), requestId);

    public static HttpRequestMessage Post(string path, string body, string? requestId = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (requestId is not null) request.Headers.Add("X-Request-Id", requestId);
        return request;
    }

    public static string NewId() => "test-" + Guid.NewGuid().ToString("N");

    public static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : "";

    /// <summary>Asserts an OpenAI-shaped error and returns its error object.</summary>
    public static async Task<JsonObject> AssertOpenAiErrorAsync(HttpResponseMessage response, int status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(status == (int)response.StatusCode, $"expected {status}, got {(int)response.StatusCode}: {text}");
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.ToString());
        var error = JsonNode.Parse(text)!["error"]!.AsObject();
        Assert.False(string.IsNullOrEmpty(error["message"]!.GetValue<string>()));
        Assert.False(string.IsNullOrEmpty(error["type"]!.GetValue<string>()));
        Assert.True(error.ContainsKey("param"));
        Assert.True(error.ContainsKey("code"));
        return error;
    }
}
