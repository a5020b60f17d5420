using System.Text;
using System.Text.Json;

namespace DisaggServing.Benchmarks.Serving;

/// <summary>
/// What the load generator sends: one pre-serialized <c>/v1/completions</c> body (so the client spends no time on
/// JSON), exactly <see cref="OutputTokens"/> tokens out (min_tokens = max_tokens, ignore_eos), streamed or not.
/// </summary>
internal sealed record LoadTarget(string Name, Uri Url, byte[] Body, bool Stream, int OutputTokens)
{
    public static LoadTarget Completions(string name, Uri baseUrl, string model, int promptTokens, int outputTokens, bool stream)
    {
        var body = new Dictionary<string, object>
        {
            ["model"] = model,
            ["prompt"] = Prompt(promptTokens),
            ["max_tokens"] = outputTokens,
            ["min_tokens"] = outputTokens,
            ["ignore_eos"] = true,
            ["temperature"] = 0,
            ["stream"] = stream,
        };
        return new LoadTarget(name, new Uri(baseUrl, "/v1/completions"), JsonSerializer.SerializeToUtf8Bytes(body), stream, outputTokens);
    }

    /// <summary>About <paramref name="tokens"/> cl100k tokens of plain words (" w" with a distinct number per word is ~2 tokens).</summary>
    public static string Prompt(int tokens)
    {
        var text = new StringBuilder();
        for (var i = 0; i < Math.Max(1, tokens / 2); i++)
            text.Append(" w").Append(i % 1000);
        return text.ToString();
    }
}
