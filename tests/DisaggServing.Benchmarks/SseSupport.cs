using System.IO.Pipelines;
using DisaggServing.Protocol.OpenAi;
using DisaggServing.Protocol.Sse;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace DisaggServing.Benchmarks;

/// <summary>A streamed chat completion as the worker writes it: a role chunk, content chunks, a finish chunk, [DONE].</summary>
internal static class SseSamples
{
    private static readonly string[] Words =
        [" the", " engine", " streams", " one", " token", " per", " event", ",", " and", " router", " relays", " it", "."];

    /// <summary>The <c>chat.completion.chunk</c> objects of a stream of <paramref name="events"/> events ([DONE] included).</summary>
    public static ChatCompletionResponse[] ChatChunks(int events)
    {
        const string id = "chatcmpl-3f2a9c7e5b1d4e8a9f0c6b2d7e1a4c5f";
        const string model = "meta-llama/Llama-3.1-8B-Instruct";
        const long created = 1_767_225_600;
        var chunks = new ChatCompletionResponse[events - 1];
        for (var i = 0; i < chunks.Length; i++)
        {
            var delta = i == 0 ? new ChatChoiceMessage("assistant", "") : new ChatChoiceMessage(null, Words[i % Words.Length]);
            var finish = i == chunks.Length - 1 ? FinishReasons.Length : null;
            chunks[i] = new ChatCompletionResponse(id, ChatCompletionResponse.ChunkObject, created, model, [new ChatChoice(0, finish) { Delta = delta }]);
        }
        return chunks;
    }

    /// <summary>The bytes of each event (<c>data: {json}\n\n</c>, ~205-235 bytes; the last is <c>data: [DONE]\n\n</c>).</summary>
    public static byte[][] ChatEvents(int events)
    {
        var encoded = ChatChunks(events).Select(chunk => Encode(stream => SseWriter.WriteJsonAsync(stream, chunk))).ToList();
        encoded.Add(Encode(stream => SseWriter.WriteDoneAsync(stream)));
        return [.. encoded];
    }

    private static byte[] Encode(Func<Stream, Task> write)
    {
        using var stream = new MemoryStream();
        write(stream).GetAwaiter().GetResult();
        return stream.ToArray();
    }
}

/// <summary>
/// A response body that is a <see cref="Pipe"/>'s writer, as Kestrel's is, drained by a reader that runs inline on each
/// flush (no thread hops, so only the writer's own cost is measured). Counts the bytes the reader saw.
/// </summary>
internal sealed class PipeResponseBody : IHttpResponseBodyFeature, IDisposable
{
    private readonly Pipe _pipe = new(new PipeOptions(readerScheduler: PipeScheduler.Inline, writerScheduler: PipeScheduler.Inline, useSynchronizationContext: false));
    private readonly Task _drain;

    public PipeResponseBody()
    {
        Stream = _pipe.Writer.AsStream(leaveOpen: true);
        _drain = DrainAsync(_pipe.Reader);
    }

    /// <summary>Bytes the reader has consumed.</summary>
    public long Drained { get; private set; }

    public Stream Stream { get; }

    public PipeWriter Writer => _pipe.Writer;

    /// <summary>A context whose response body is this pipe; <paramref name="aborted"/> is its RequestAborted.</summary>
    public DefaultHttpContext CreateContext(CancellationToken aborted)
    {
        var context = new DefaultHttpContext();
        context.Features.Set<IHttpResponseBodyFeature>(this);
        context.Features.Set<IHttpRequestLifetimeFeature>(new HttpRequestLifetimeFeature { RequestAborted = aborted });
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = SseWriter.ContentType;
        return context;
    }

    public void DisableBuffering() { }

    public Task StartAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task CompleteAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _pipe.Writer.Complete();
        _drain.GetAwaiter().GetResult();
    }

    private async Task DrainAsync(PipeReader reader)
    {
        while (true)
        {
            var read = await reader.ReadAsync().ConfigureAwait(false);
            Drained += read.Buffer.Length;
            reader.AdvanceTo(read.Buffer.End);
            if (read.IsCompleted) break;
        }
        await reader.CompleteAsync().ConfigureAwait(false);
    }
}
