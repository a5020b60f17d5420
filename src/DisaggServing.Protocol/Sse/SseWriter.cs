using System.Buffers;
using System.Text;
using System.Text.Json;
using DisaggServing.Protocol.OpenAi;

namespace DisaggServing.Protocol.Sse;

/// <summary>
/// Writes OpenAI-style server-sent events: <c>data: {json}\n\n</c> per chunk and <c>data: [DONE]\n\n</c> at the
/// end, each flushed so that tokens reach the client as they are produced.
/// </summary>
/// <remarks>
/// An event is built in a buffer and JSON writer that the thread keeps between events (taken for the length of one
/// write, so a write that resumes elsewhere cannot share it), so a streamed token allocates no buffers of its own.
/// </remarks>
public static class SseWriter
{
    /// <summary>Content type of an event stream.</summary>
    public const string ContentType = "text/event-stream";

    /// <summary>The data of the last event of an OpenAI stream.</summary>
    public const string Done = "[DONE]";

    // A buffer that grew past this (an unusually large event) is let go rather than kept by the thread.
    private const int MaxKeptCapacity = 64 * 1024;

    private static readonly byte[] DoneEvent = "data: [DONE]\n\n"u8.ToArray();

    [ThreadStatic]
    private static EventBuffer? t_buffer;

    /// <summary>Writes one event whose data is <paramref name="value"/> as JSON (default: <see cref="JsonDefaults.Options"/>).</summary>
    public static async Task WriteJsonAsync(Stream stream, object value, JsonSerializerOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(value);
        var buffer = EventBuffer.Take();
        try
        {
            buffer.Bytes.Write("data: "u8);
            JsonSerializer.Serialize(buffer.Json, value, value.GetType(), options ?? JsonDefaults.Options);
            buffer.Bytes.Write("\n\n"u8);
            await stream.WriteAsync(buffer.Bytes.WrittenMemory, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            buffer.Return();
        }
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes one event with raw <paramref name="data"/> (a single line).</summary>
    public static async Task WriteDataAsync(Stream stream, string data, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(data);
        if (data.Contains('\n', StringComparison.Ordinal))
            throw new ArgumentException("Event data must be a single line.", nameof(data));
        if (data == Done)
        {
            await stream.WriteAsync(DoneEvent, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            var buffer = EventBuffer.Take();
            try
            {
                buffer.Bytes.Write("data: "u8);
                var written = Encoding.UTF8.GetBytes(data, buffer.Bytes.GetSpan(Encoding.UTF8.GetMaxByteCount(data.Length)));
                buffer.Bytes.Advance(written);
                buffer.Bytes.Write("\n\n"u8);
                await stream.WriteAsync(buffer.Bytes.WrittenMemory, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                buffer.Return();
            }
        }
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes the closing <c>data: [DONE]</c> event.</summary>
    public static Task WriteDoneAsync(Stream stream, CancellationToken cancellationToken = default) => WriteDataAsync(stream, Done, cancellationToken);

    /// <summary>An event's bytes and the JSON writer over them.</summary>
    private sealed class EventBuffer
    {
        private EventBuffer()
        {
            Bytes = new ArrayBufferWriter<byte>(512);
            Json = new Utf8JsonWriter(Bytes);
        }

        public ArrayBufferWriter<byte> Bytes { get; }

        public Utf8JsonWriter Json { get; }

        /// <summary>The thread's buffer, emptied, or a new one if another write holds it.</summary>
        public static EventBuffer Take()
        {
            var buffer = t_buffer ?? new EventBuffer();
            t_buffer = null;
            // Emptied here too: a write that failed part-way may have left bytes and JSON state behind.
            buffer.Bytes.ResetWrittenCount();
            buffer.Json.Reset();
            return buffer;
        }

        /// <summary>Hands the buffer to the thread the write finished on.</summary>
        public void Return()
        {
            if (Bytes.Capacity <= MaxKeptCapacity)
                t_buffer = this;
        }
    }
}
