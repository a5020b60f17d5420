using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using BenchmarkDotNet.Attributes;
using DisaggServing.Protocol.Sse;
using DisaggServing.Router.Proxy;
using DisaggServing.Scheduling;
using DisaggServing.Router.Telemetry;
using Microsoft.AspNetCore.Http;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using Prometheus;

namespace DisaggServing.Benchmarks;

/// <summary>
/// The router's SSE relay: one streamed <c>chat.completion.chunk</c> completion of <see cref="Chunks"/> events (~205-235
/// bytes each, written by the worker's own <see cref="SseWriter"/>, ending in <c>data: [DONE]</c>) through the real
/// <see cref="ResponseRelay.RelayAsync"/> into a response whose body is a pipe drained by a reader
/// (<see cref="PipeResponseBody"/>). The upstream hands out one event per read, as an engine flushing per token does.
/// Divide by <see cref="Chunks"/> for the per-chunk cost.
/// </summary>
/// <remarks>
/// No sockets: reads complete synchronously and the pipe's reader runs inline on each flush, so the figures are the
/// relay's own CPU and allocation cost, without the send system call a real flush costs. The baseline is a plain
/// <see cref="Stream.CopyToAsync(Stream, CancellationToken)"/> of the same upstream into the same body (also one write and
/// flush per read). With <see cref="Telemetry"/> on, the relay runs as in the router under the service defaults: an
/// OpenTelemetry SDK meter provider aggregates the router's meter, and a recorded request <see cref="Activity"/> is current
/// (prometheus-net takes each observation's exemplar from it).
/// </remarks>
[MemoryDiagnoser]
public class SseRelayBenchmark
{
    private Activity? _activity;
    private MeterProvider? _meterProvider;
    private RouterMetrics _metrics = null!;
    private ResponseRelay _relay = null!;
    private ChunkedUpstream _upstream = null!;
    private HttpResponseMessage _response = null!;
    private PipeResponseBody _body = null!;
    private HttpContext _context = null!;
    private CancellationTokenSource _aborted = null!;

    /// <summary>SSE events per completion, <c>[DONE]</c> included.</summary>
    [Params(16, 256)]
    public int Chunks { get; set; }

    /// <summary>OpenTelemetry metrics and a current trace, as in the running router.</summary>
    [Params(false, true)]
    public bool Telemetry { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _upstream = new ChunkedUpstream(SseSamples.ChatEvents(Chunks));
        _response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new UpstreamContent(_upstream) };
        _response.Content.Headers.ContentType = new MediaTypeHeaderValue(SseWriter.ContentType);
        _aborted = new CancellationTokenSource();
        _body = new PipeResponseBody();
        _context = _body.CreateContext(_aborted.Token);
        _metrics = new RouterMetrics(Metrics.NewCustomRegistry());
        _relay = new ResponseRelay(_metrics, TimeProvider.System);

        var exporter = new DiscardingExporter();
        if (Telemetry)
        {
            _meterProvider = Sdk.CreateMeterProviderBuilder()
                .AddMeter(RouterMetrics.MeterName)
                .AddReader(new BaseExportingMetricReader(exporter))
                .Build();
            // Current from here on, on the thread that runs the benchmark.
            _activity = new Activity("router.request");
            _activity.SetIdFormat(ActivityIdFormat.W3C);
            _activity.ActivityTraceFlags = ActivityTraceFlags.Recorded;
            _activity.Start();
        }

        // Both paths must deliver the whole completion to the reader.
        foreach (var run in new Func<Task>[] { Relay, CopyToAsync })
        {
            var before = _body.Drained;
            run().GetAwaiter().GetResult();
            if (_body.Drained - before != _upstream.Length)
                throw new InvalidOperationException($"Drained {_body.Drained - before} bytes of {_upstream.Length}.");
        }
        if (_meterProvider is not null && (!_meterProvider.ForceFlush() || !exporter.Seen.Contains("disagg.router.inter_token_latency")))
            throw new InvalidOperationException("The meter provider did not aggregate the relay's ITL.");
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _body.Dispose();
        _activity?.Stop();
        _meterProvider?.Dispose();
        _metrics.Dispose();
        _response.Dispose();
        _aborted.Dispose();
    }

    [Benchmark(Baseline = true)]
    public async Task CopyToAsync()
    {
        _upstream.Reset();
        var body = await _response.Content.ReadAsStreamAsync(_aborted.Token).ConfigureAwait(false);
        await body.CopyToAsync(_context.Response.Body, _aborted.Token).ConfigureAwait(false);
    }

    [Benchmark]
    public async Task Relay()
    {
        _upstream.Reset();
        if (Activity.Current != _activity) throw new InvalidOperationException("The request activity is not current.");
        var start = TimeProvider.System.GetTimestamp();
        var result = await _relay.RelayAsync(_response, _context, RouteNames.Pd, start, start).ConfigureAwait(false);
        if (result != RelayResult.Completed) throw new InvalidOperationException(result.ToString());
    }

    /// <summary>An engine's response body: one SSE event per read, completing synchronously.</summary>
    private sealed class ChunkedUpstream(byte[][] events) : Stream
    {
        private int _event;
        private int _offset;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length { get; } = events.Sum(e => (long)e.Length);

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public void Reset() => (_event, _offset) = (0, 0);

        public override int Read(Span<byte> buffer)
        {
            if (_event == events.Length) return 0;
            var rest = events[_event].AsSpan(_offset);
            var count = Math.Min(rest.Length, buffer.Length);
            rest[..count].CopyTo(buffer);
            _offset += count;
            if (_offset == events[_event].Length) (_event, _offset) = (_event + 1, 0);
            return count;
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            new(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer.AsSpan(offset, count)));

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        // The relay disposes the body it read; this one is reused by the next invocation.
        protected override void Dispose(bool disposing) { }
    }

    /// <summary>Content whose read stream is the upstream (HttpContent caches it, so one message serves every run).</summary>
    private sealed class UpstreamContent(Stream upstream) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => upstream.CopyToAsync(stream);

        protected override Task<Stream> CreateContentReadStreamAsync() => Task.FromResult(upstream);

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    /// <summary>A metric exporter that only notes which metrics it was given (the reader collects only when asked).</summary>
    private sealed class DiscardingExporter : BaseExporter<Metric>
    {
        public HashSet<string> Seen { get; } = [];

        public override ExportResult Export(in Batch<Metric> batch)
        {
            foreach (var metric in batch) Seen.Add(metric.Name);
            return ExportResult.Success;
        }
    }
}
