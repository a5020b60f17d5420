using BenchmarkDotNet.Attributes;
using DisaggServing.Protocol.OpenAi;
using DisaggServing.Protocol.Sse;

namespace DisaggServing.Benchmarks;

/// <summary>
/// The worker's SSE output: one streamed <c>chat.completion.chunk</c> completion of <see cref="Chunks"/> events written
/// with <see cref="SseWriter"/> (JSON per chunk, then <c>data: [DONE]</c>, each flushed) into a response body that is a
/// pipe drained by a reader (<see cref="PipeResponseBody"/>). The chunk objects are built beforehand, so this is the cost
/// of serializing, framing and flushing. The baseline writes and flushes the same bytes, already encoded. Divide by
/// <see cref="Chunks"/> for the per-chunk cost.
/// </summary>
[MemoryDiagnoser]
public class SseWriterBenchmark
{
    private ChatCompletionResponse[] _chunks = null!;
    private byte[][] _events = null!;
    private long _bytes;
    private PipeResponseBody _body = null!;
    private Stream _stream = null!;

    /// <summary>SSE events per completion, <c>[DONE]</c> included.</summary>
    [Params(16, 256)]
    public int Chunks { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _chunks = SseSamples.ChatChunks(Chunks);
        _events = SseSamples.ChatEvents(Chunks);
        _bytes = _events.Sum(e => (long)e.Length);
        _body = new PipeResponseBody();
        _stream = _body.Stream;
        foreach (var run in new Func<Task>[] { WriteEncoded, WriteEvents })
        {
            var before = _body.Drained;
            run().GetAwaiter().GetResult();
            if (_body.Drained - before != _bytes)
                throw new InvalidOperationException($"Drained {_body.Drained - before} bytes of {_bytes}.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _body.Dispose();

    [Benchmark(Baseline = true)]
    public async Task WriteEncoded()
    {
        foreach (var bytes in _events)
        {
            await _stream.WriteAsync(bytes).ConfigureAwait(false);
            await _stream.FlushAsync().ConfigureAwait(false);
        }
    }

    [Benchmark]
    public async Task WriteEvents()
    {
        foreach (var chunk in _chunks)
            await SseWriter.WriteJsonAsync(_stream, chunk).ConfigureAwait(false);
        await SseWriter.WriteDoneAsync(_stream).ConfigureAwait(false);
    }
}
