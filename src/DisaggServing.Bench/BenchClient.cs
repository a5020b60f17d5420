using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using DisaggServing.Protocol.OpenAi;
using DisaggServing.Protocol.Sse;

namespace DisaggServing.Bench;

/// <summary>
/// Sends one OpenAI request and times it: max_tokens = min_tokens = OSL with ignore_eos, so servers that honour
/// vLLM's extensions produce exactly OSL tokens. Streaming asks for usage in the last chunk, so the output count is
/// the server's own.
/// </summary>
internal sealed class BenchClient : IDisposable
{
    private readonly HttpClient http;
    private readonly BenchSettings settings;
    private readonly Uri endpoint;
    private readonly long origin;

    public BenchClient(BenchSettings settings, long originTimestamp)
    {
        this.settings = settings;
        endpoint = settings.Endpoint;
        origin = originTimestamp;

        // Only the URL the user gave: no redirects to elsewhere. No pool limit, so the load is what was asked for.
        http = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            MaxConnectionsPerServer = int.MaxValue,
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
            ConnectTimeout = TimeSpan.FromSeconds(10),
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        if (settings.ApiKey is { Length: > 0 } key)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }
    }

    public void Dispose() => http.Dispose();

    /// <summary>Seconds since the run's origin.</summary>
    public double Now() => Stopwatch.GetElapsedTime(origin).TotalSeconds;

    public async Task<BenchOutcome> SendAsync(string prompt, int inputTokens, int outputTokens, CancellationToken stop)
    {
        var body = Body(prompt, outputTokens);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(TimeSpan.FromSeconds(settings.TimeoutSeconds));
        var start = Now();
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = JsonContent.Create(body, body.GetType(), options: JsonDefaults.Options) };
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return BenchOutcome.Failed(start, ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture), inputTokens);
            }

            return settings.Stream
                ? await ReadStreamAsync(response, start, inputTokens, timeout.Token).ConfigureAwait(false)
                : await ReadWholeAsync(response, start, inputTokens, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!stop.IsCancellationRequested)
        {
            return BenchOutcome.Failed(start, "timeout", inputTokens);
        }
        catch (OperationCanceledException)
        {
            return BenchOutcome.Failed(start, "cancelled", inputTokens);
        }
        catch (HttpRequestException)
        {
            return BenchOutcome.Failed(start, "connection", inputTokens);
        }
        catch (IOException)
        {
            return BenchOutcome.Failed(start, "connection", inputTokens);
        }
        catch (JsonException)
        {
            return BenchOutcome.Failed(start, "bad_response", inputTokens);
        }
    }

    private SamplingRequest Body(string prompt, int outputTokens)
    {
        SamplingRequest body = settings.Chat
            ? new ChatCompletionRequest { Messages = [BenchPrompts.UserMessage(prompt)] }
            : new CompletionRequest { Prompt = JsonSerializer.SerializeToElement(prompt) };
        body.Model = settings.Model;
        body.MaxTokens = outputTokens;
        body.MinTokens = outputTokens;
        body.IgnoreEos = true;
        body.Temperature = 0;
        if (settings.Stream)
        {
            body.Stream = true;
            body.StreamOptions = new StreamOptions { IncludeUsage = true };
        }

        return body;
    }

    private async Task<BenchOutcome> ReadStreamAsync(HttpResponseMessage response, double start, int inputTokens, CancellationToken cancel)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancel).ConfigureAwait(false);
        double? first = null;
        var last = start;
        var gaps = new List<double>();
        var chunks = 0;
        int? usage = null;
        await foreach (var data in SseReader.ReadDataAsync(stream, cancel).ConfigureAwait(false))
        {
            var now = Now();
            using var json = JsonDocument.Parse(data);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object || root.TryGetProperty("error", out _))
            {
                return BenchOutcome.Failed(start, "stream_error", inputTokens);
            }

            usage = CompletionTokens(root) ?? usage;
            if (string.IsNullOrEmpty(ChunkText(root)))
            {
                continue;
            }

            if (first is null)
            {
                first = now;
            }
            else
            {
                gaps.Add(now - last);
            }

            last = now;
            chunks++;
        }

        if (first is null)
        {
            return BenchOutcome.Failed(start, "no_output", inputTokens);
        }

        var end = Now();
        return new BenchOutcome(start, null, inputTokens, usage ?? chunks, first.Value - start, end - start, [.. gaps]);
    }

    private async Task<BenchOutcome> ReadWholeAsync(HttpResponseMessage response, double start, int inputTokens, CancellationToken cancel)
    {
        var bytes = await response.Content.ReadAsByteArrayAsync(cancel).ConfigureAwait(false);
        var end = Now();
        using var json = JsonDocument.Parse(bytes);
        var root = json.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("choices", out _))
        {
            return BenchOutcome.Failed(start, "bad_response", inputTokens);
        }

        var tokens = CompletionTokens(root) ?? Protocol.Tokenization.PromptTokenizer.Instance.Count(ChunkText(root) ?? "");
        return new BenchOutcome(start, null, inputTokens, tokens, end - start, end - start, []);
    }

    private static int? CompletionTokens(JsonElement root) =>
        root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object
        && usage.TryGetProperty("completion_tokens", out var tokens) && tokens.TryGetInt32(out var count)
            ? count
            : null;

    /// <summary>The text of the first choice: <c>delta.content</c> or <c>message.content</c> (chat), <c>text</c> (completions).</summary>
    private static string? ChunkText(JsonElement root)
    {
        if (!root.TryGetProperty("choices", out var choices) || choices.ValueKind != JsonValueKind.Array || choices.GetArrayLength() == 0)
        {
            return null;
        }

        var choice = choices[0];
        foreach (var name in (ReadOnlySpan<string>)["delta", "message"])
        {
            if (choice.TryGetProperty(name, out var message) && message.ValueKind == JsonValueKind.Object
                && message.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String)
            {
                return content.GetString();
            }
        }

        return choice.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String ? text.GetString() : null;
    }
}
