using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;

namespace DisaggServing.Benchmarks.Serving;

/// <summary>
/// A lean HTTP/1.1 load generator for the serving benchmarks: closed loop (N requests always in flight, for the
/// saturation rate) or open loop (Poisson arrivals at a fixed rate, for latency at that rate). It times the first
/// body byte (TTFT) and the end of the body, and checks every answer: 200, and a stream that ends in [DONE].
/// </summary>
internal sealed class LoadGenerator : IDisposable
{
    private static readonly byte[] Done = "data: [DONE]\n\n"u8.ToArray();
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private readonly HttpClient http = new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = int.MaxValue,
        PooledConnectionLifetime = TimeSpan.FromMinutes(30),
        UseProxy = false,
        AllowAutoRedirect = false,
    })
    { Timeout = TimeSpan.FromSeconds(30) };

    public void Dispose() => http.Dispose();

    /// <summary><paramref name="concurrency"/> requests in flight; samples that start within <paramref name="warmup"/> are dropped.</summary>
    public async Task<LoadResult> ClosedLoopAsync(LoadTarget target, int concurrency, TimeSpan warmup, TimeSpan measure)
    {
        var samples = new List<Sample>();
        var origin = Stopwatch.GetTimestamp();
        var end = warmup + measure;
        async Task Loop()
        {
            while (Stopwatch.GetElapsedTime(origin) < end)
            {
                var sample = await SendAsync(target, origin).ConfigureAwait(false);
                lock (samples)
                    samples.Add(sample);
            }
        }
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(Loop))).ConfigureAwait(false);
        // Throughput counts what completed inside the window; latency, what started in it.
        var from = warmup.TotalSeconds;
        var to = end.TotalSeconds;
        var completed = samples.Count(s => s.Ok && s.EndSeconds >= from && s.EndSeconds < to);
        return new LoadResult(target.Name, completed / measure.TotalSeconds, [.. samples.Where(s => s.StartSeconds >= from && s.StartSeconds < to)],
            samples.Count(s => s.Ok));
    }

    /// <summary>Poisson arrivals at <paramref name="rate"/> per second, the same sequence for the same seed.</summary>
    public async Task<LoadResult> OpenLoopAsync(LoadTarget target, double rate, TimeSpan warmup, TimeSpan measure, int seed)
    {
        var samples = new List<Sample>();
        var inFlight = new List<Task>();
        var random = new Random(seed);
        var origin = Stopwatch.GetTimestamp();
        var end = (warmup + measure).TotalSeconds;
        var at = 0.0;
        while (at < end)
        {
            var wait = at - Stopwatch.GetElapsedTime(origin).TotalSeconds;
            if (wait > 0.001)
                await Task.Delay(TimeSpan.FromSeconds(wait)).ConfigureAwait(false); // behind schedule: send at once
            inFlight.Add(Task.Run(async () =>
            {
                var sample = await SendAsync(target, origin).ConfigureAwait(false);
                lock (samples)
                    samples.Add(sample);
            }));
            at += -Math.Log(1 - random.NextDouble()) / rate;
        }
        await Task.WhenAll(inFlight).ConfigureAwait(false);
        var from = warmup.TotalSeconds;
        var measured = samples.Where(s => s.StartSeconds >= from && s.StartSeconds < end).ToArray();
        return new LoadResult(target.Name, measured.Count(s => s.Ok) / measure.TotalSeconds, measured, samples.Count(s => s.Ok));
    }

    private async Task<Sample> SendAsync(LoadTarget target, long origin)
    {
        var start = Stopwatch.GetTimestamp();
        var startSeconds = Stopwatch.GetElapsedTime(origin, start).TotalSeconds;
        double ttft = 0;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, target.Url) { Content = new ByteArrayContent(target.Body) };
            request.Content.Headers.ContentType = Json;
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            await using var body = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
            var buffer = new byte[16 * 1024];
            var tail = new byte[Done.Length];
            var total = 0L;
            int read;
            while ((read = await body.ReadAsync(buffer).ConfigureAwait(false)) > 0)
            {
                if (total == 0)
                    ttft = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                KeepTail(tail, buffer.AsSpan(0, read));
                total += read;
            }
            var e2e = Stopwatch.GetElapsedTime(start);
            if (status == 200 && (total == 0 || (target.Stream && !tail.AsSpan().SequenceEqual(Done))))
                status = 0; // a 200 that broke off or never finished its stream is a failure
            return new Sample(startSeconds, startSeconds + e2e.TotalSeconds, ttft, e2e.TotalMilliseconds, status, PrefillMs(response));
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException)
        {
            var e2e = Stopwatch.GetElapsedTime(start);
            return new Sample(startSeconds, startSeconds + e2e.TotalSeconds, ttft, e2e.TotalMilliseconds, -1, null);
        }
    }

    /// <summary>Keeps the last <c>tail.Length</c> bytes of the body seen so far.</summary>
    private static void KeepTail(byte[] tail, ReadOnlySpan<byte> chunk)
    {
        if (chunk.Length >= tail.Length)
        {
            chunk[^tail.Length..].CopyTo(tail);
            return;
        }
        Buffer.BlockCopy(tail, chunk.Length, tail, 0, tail.Length - chunk.Length);
        chunk.CopyTo(tail.AsSpan(tail.Length - chunk.Length));
    }

    /// <summary>The <c>prefill;dur=…</c> entry of <c>Server-Timing</c>, in ms.</summary>
    private static double? PrefillMs(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Server-Timing", out var values))
            return null;
        foreach (var value in values)
        {
            foreach (var metric in value.Split(',', StringSplitOptions.TrimEntries))
            {
                var parts = metric.Split(';', StringSplitOptions.TrimEntries);
                if (parts[0] != "prefill")
                    continue;
                foreach (var parameter in parts.AsSpan(1))
                {
                    if (parameter.StartsWith("dur=", StringComparison.Ordinal)
                        && double.TryParse(parameter.AsSpan(4), NumberStyles.Float, CultureInfo.InvariantCulture, out var ms))
                        return ms;
                }
            }
        }
        return null;
    }
}
