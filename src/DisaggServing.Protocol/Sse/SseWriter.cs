using System.Buffers;
using System.Text;
using System.Text.Json;
using DisaggServing.Protocol.OpenAi;

namespace DisaggServing.Protocol.Sse;

/// <summary>
/// Writes OpenAI-style server-sent events: <c>data: {json}\n\n</c> per chunk and <c>data: [DONE]\n\n</c> at the
/// end, each flushed so that tokens reach the client as they are produced.
/// </summary>
public static class SseWriter
{
    /// <summary>Content type of an event stream.</summary>
    public const string ContentType = "text/event-stream";

    /// <summary>The data of the last event of an OpenAI stream.</summary>
    public const string Done = "[DONE]";

    /// <summary>Writes one event whose data is <paramref name="value"/> as JSON (default: <see cref="JsonDefaults.Options"/>).</summary>
    public static async Task WriteJsonAsync(Stream stream, object value, JsonSerializerOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(value);
        var buffer = new ArrayBufferWriter<byte>(256);
        buffer.Write("data: "u8);
        using (var json = new Utf8JsonWriter(buffer))
            JsonSerializer.Serialize(json, value, value.GetType(), options ?? JsonDefaults.Options);
        buffer.Write("\n\n"u8);
        await stream.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes one event with raw <paramref name="data"/> (a single line).</summary>
    public static async Task WriteDataAsync(Stream stream, string data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(data);
        if (data.Contains('\n', StringComparison.Ordinal))
            throw new ArgumentException("Event data must be a single line.", nameof(data));
        await stream.WriteAsync(Encoding.UTF8.GetBytes("data: " + data + "\n\n"), cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes the closing <c>data: [DONE]</c> event.</summary>
    public static Task WriteDoneAsync(Stream stream, CancellationToken cancellationToken = default) => WriteDataAsync(stream, Done, cancellationToken);
}
