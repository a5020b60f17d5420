using System.Text.Json;
using System.Text.Json.Nodes;

namespace DisaggServing.Protocol.Tests.Validation;

/// <summary>
/// The vLLM validation corpus (<c>vllm-validation-corpus.json</c>): one case a request, grouped by the vLLM source that
/// decides it, with vLLM's status and the refused field. Linked into the Router and Worker tests, which send every case
/// over HTTP; the Protocol tests run it against the shared validator directly.
/// </summary>
public static class VllmCorpus
{
    private static readonly Lazy<IReadOnlyList<CorpusCase>> All = new(Load);

    /// <summary>Every case, numbered.</summary>
    public static IReadOnlyList<CorpusCase> Cases => All.Value;

    /// <summary>Case ids for a theory (the id leads with the number; the rest is for reading test output).</summary>
    public static TheoryData<string> Ids()
    {
        var data = new TheoryData<string>();
        foreach (var c in Cases) data.Add(c.Id);
        return data;
    }

    /// <summary>The case with <paramref name="id"/>.</summary>
    public static CorpusCase Get(string id) => Cases[int.Parse(id[1..id.IndexOf(' ')], System.Globalization.CultureInfo.InvariantCulture)];

    private static IReadOnlyList<CorpusCase> Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Validation", "vllm-validation-corpus.json");
        var root = JsonNode.Parse(File.ReadAllText(path))!;
        var cases = new List<CorpusCase>();
        foreach (var group in root["groups"]!.AsArray())
        {
            var endpoint = (string)group!["endpoint"]!;
            foreach (var node in group["cases"]!.AsArray())
            {
                var c = node!.AsObject();
                var body = c["raw"] is { } raw ? (string)raw! : c["body"] is { } b ? b.ToJsonString() : null;
                var worker = c["worker"]?.AsObject();
                cases.Add(new CorpusCase(
                    $"#{cases.Count} {endpoint}: {(string)c["name"]!}",
                    endpoint == "chat",
                    body,
                    (int)c["status"]!,
                    (string?)c["param"],
                    worker is null ? null : (int)worker["status"]!,
                    (string?)worker?["param"],
                    (string?)c["contentType"],
                    (string?)c["method"],
                    (string?)c["path"],
                    c["vocab"] is not null,
                    (string)group["source"]!));
            }
        }
        return cases;
    }
}

/// <summary>One corpus request and vLLM's answer to it.</summary>
public sealed record CorpusCase(
    string Id, bool Chat, string? Body, int Status, string? Param, int? WorkerStatus, string? WorkerParam,
    string? ContentType, string? Method, string? Path, bool NeedsVocabulary, string Source)
{
    /// <summary>The endpoint's path, or the case's own.</summary>
    public string Route => Path ?? (Chat ? "/v1/chat/completions" : "/v1/completions");

    /// <summary>The body with the served model and the context filled in.</summary>
    public string? BodyFor(string model, int maxModelLen) =>
        Body?.Replace("\"$CONTEXT\"", maxModelLen.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("$MODEL", model, StringComparison.Ordinal);

    /// <summary>An HTTP request for this case.</summary>
    public HttpRequestMessage ToHttp(string model, int maxModelLen, string route)
    {
        var request = new HttpRequestMessage(new HttpMethod(Method ?? "POST"), route);
        if (Method is null)
        {
            var content = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(BodyFor(model, maxModelLen) ?? ""));
            if (ContentType != "") content.Headers.TryAddWithoutValidation("Content-Type", ContentType ?? "application/json");
            request.Content = content;
        }
        return request;
    }

    /// <summary>Asserts an OpenAI-shaped refusal with <paramref name="param"/> (when the corpus names one).</summary>
    public static void AssertError(JsonElement body, string? param, string id)
    {
        Assert.True(body.ValueKind == JsonValueKind.Object && body.TryGetProperty("error", out _), $"{id}: no error object");
        var error = body.GetProperty("error");
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()), id);
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("type").GetString()), id);
        Assert.True(error.TryGetProperty("code", out _), id);
        Assert.True(error.TryGetProperty("param", out var actual), id);
        if (param is not null) Assert.True(param == actual.GetString(), $"{id}: param {actual} instead of {param}");
    }

    public override string ToString() => Id;
}
