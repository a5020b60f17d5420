using System.Text;
using System.Text.Json;
using DisaggServing.Protocol.Sse;

namespace DisaggServing.Worker.Tests.Support;

/// <summary>Streams a request and collects its server-sent events.</summary>
public static class SseClient
{
    public static async Task<(int Status, string ContentType, List<JsonElement> Chunks, bool Done)> StreamAsync(HttpClient http, string path, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var contentType = response.Content.Headers.ContentType?.MediaType ?? "";
        var chunks = new List<JsonElement>();
        await using var stream = await response.Content.ReadAsStreamAsync();
        if (contentType != SseWriter.ContentType)
        {
            var text = await new StreamReader(stream).ReadToEndAsync();
            chunks.Add(JsonDocument.Parse(text).RootElement.Clone());
            return ((int)response.StatusCode, contentType, chunks, false);
        }
        var done = false;
        await foreach (var item in System.Net.ServerSentEvents.SseParser.Create(stream).EnumerateAsync())
        {
            if (item.Data == SseWriter.Done)
            {
                done = true;
                break;
            }
            chunks.Add(JsonDocument.Parse(item.Data).RootElement.Clone());
        }
        return ((int)response.StatusCode, contentType, chunks, done);
    }

    /// <summary>The text of completion chunks or chat deltas, concatenated.</summary>
    public static string Text(IEnumerable<JsonElement> chunks)
    {
        var text = new StringBuilder();
        foreach (var chunk in chunks)
            foreach (var choice in chunk.GetProperty("choices").EnumerateArray())
            {
                if (choice.TryGetProperty("text", out var t))
                    text.Append(t.GetString());
                else if (choice.TryGetProperty("delta", out var d) && d.TryGetProperty("content", out var c))
                    text.Append(c.GetString());
            }
        return text.ToString();
    }
}
