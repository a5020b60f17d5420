using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;

namespace DisaggServing.Protocol.Sse;

/// <summary>Reads the data of an OpenAI-style event stream, one string per event, up to <c>[DONE]</c>.</summary>
public static class SseReader
{
    /// <summary>The data of each event of <paramref name="stream"/>; ends at <c>data: [DONE]</c> or at the end of the stream.</summary>
    public static async IAsyncEnumerable<string> ReadDataAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        await foreach (var item in SseParser.Create(stream).EnumerateAsync(cancellationToken).ConfigureAwait(false))
        {
            if (item.Data == SseWriter.Done)
                yield break;
            yield return item.Data;
        }
    }
}
