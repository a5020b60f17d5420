using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace DisaggServing.IntegrationTests;

/// <summary>One request of the chaos load: a streamed completion whose text is deterministic (prompt, seed, max_tokens).</summary>
internal sealed record ChaosRequest(int Seed, bool Long, int MaxTokens)
{
    public string Prompt => Long ? Prompts.Long(Seed) : $"Request {Seed}: {Prompts.Short}";

    public object Body(string model, bool stream) => stream
        ? new { model, prompt = Prompt, max_tokens = MaxTokens, seed = Seed, stream = true, stream_options = new { include_usage = true } }
        : new { model, prompt = Prompt, max_tokens = MaxTokens, seed = Seed, stream = false };
}

/// <summary>How a chaos request ended: its text and usage, or the error the client was told (or null: no clear error).</summary>
internal sealed record ChaosOutcome(ChaosRequest Request, string? Text, int? CompletionTokens, string? Error, bool ClearError);

/// <summary>Poisson-ish load: requests arrive with exponential gaps at a mean rate, each streamed through the router.</summary>
internal static class ChaosLoad
{
    public static async Task<List<ChaosOutcome>> RunAsync(HttpClient router, string model, int firstSeed, int count, double perSecond,
        Func<int, Task>? duringLoad = null, int? maxTokens = null)
    {
        var random = new Random(firstSeed);
        var tasks = new List<Task<ChaosOutcome>>(count);
        var clock = Stopwatch.StartNew();
        var next = 0.0;
        for (var i = 0; i < count; i++)
        {
            next += -Math.Log(1 - random.NextDouble()) / perSecond;
            var wait = TimeSpan.FromSeconds(next) - clock.Elapsed;
            if (wait > TimeSpan.Zero) await Task.Delay(wait);
            var request = new ChaosRequest(firstSeed + i, Long: i % 2 == 0, MaxTokens: (maxTokens ?? 24) + i % 3 * 8);
            tasks.Add(StreamAsync(router, model, request));
            if (duringLoad is not null) await duringLoad(i);
        }
        return [.. await Task.WhenAll(tasks)];
    }

    private static async Task<ChaosOutcome> StreamAsync(HttpClient router, string model, ChaosRequest request)
    {
        try
        {
            using var response = await router.PostAsJsonAsync("/v1/completions", request.Body(model, stream: true));
            var body = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode)
                return new ChaosOutcome(request, null, null, $"HTTP {(int)response.StatusCode}: {body}", IsOpenAiError(body));
            var text = new StringBuilder();
            int? completion = null;
            var done = false;
            foreach (var line in body.Split('\n'))
            {
                if (!line.StartsWith("data: ", StringComparison.Ordinal)) continue;
                var data = line[6..];
                if (data == "[DONE]") { done = true; continue; }
                using var chunk = JsonDocument.Parse(data);
                if (chunk.RootElement.TryGetProperty("error", out _))
                    return new ChaosOutcome(request, null, null, data, ClearError: true);
                if (chunk.RootElement.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
                    completion = usage.GetProperty("completion_tokens").GetInt32();
                foreach (var choice in chunk.RootElement.GetProperty("choices").EnumerateArray())
                    text.Append(choice.GetProperty("text").GetString());
            }
            return done
                ? new ChaosOutcome(request, text.ToString(), completion, null, false)
                : new ChaosOutcome(request, null, null, "the stream ended without [DONE]", ClearError: false);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException)
        {
            return new ChaosOutcome(request, null, null, e.Message, ClearError: false);
        }
    }

    /// <summary>What an unfaulted engine answers: the same request, whole, from a healthy worker directly.</summary>
    public static async Task<ConcurrentDictionary<ChaosRequest, string>> ReferenceAsync(HttpClient worker, string model, IEnumerable<ChaosRequest> requests)
    {
        var texts = new ConcurrentDictionary<ChaosRequest, string>();
        await Parallel.ForEachAsync(requests, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (request, ct) =>
        {
            using var response = await worker.PostAsJsonAsync("/v1/completions", request.Body(model, stream: false), ct);
            response.EnsureSuccessStatusCode();
            using var whole = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
            texts[request] = whole.RootElement.GetProperty("choices")[0].GetProperty("text").GetString()!;
        });
        return texts;
    }

    private static bool IsOpenAiError(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.TryGetProperty("error", out var error) && error.TryGetProperty("message", out _);
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
