using System.Diagnostics;
using DisaggServing.Engine.Workloads;

namespace DisaggServing.Bench;

/// <summary>
/// Drives the load: open loop (Poisson arrivals at --rate, or a trace's own times) or closed loop (--concurrency
/// requests in flight). Stops starting requests at --requests or after --duration (from the first send), then waits for
/// those in flight (each bounded by the request timeout), so a run always ends by itself.
/// </summary>
public static class BenchRunner
{
    // With --duration only, lengths are drawn in blocks of this many and reused cyclically.
    private const int DurationPool = 100_000;

    /// <summary>Runs <paramref name="settings"/>: every request's outcome, by start time, and the run's length in seconds.</summary>
    public static async Task<(BenchOutcome[] Outcomes, double Seconds)> RunAsync(
        BenchSettings settings, IProgress<double>? progress, CancellationToken stop)
    {
        var workload = Requests(settings);
        var prompts = new BenchPrompts(settings.Chat);
        var origin = Stopwatch.GetTimestamp();
        using var client = new BenchClient(settings, origin);
        var outcomes = new List<BenchOutcome>();
        var gate = new Lock();
        var done = 0;
        var planned = settings.Requests is { } n ? Math.Min(n, workload.Length) : workload.Length;

        void Report()
        {
            if (progress is null)
            {
                return;
            }

            var byCount = settings.Requests is not null || settings.DurationSeconds is null ? (double)Volatile.Read(ref done) / Math.Max(1, planned) : 0;
            var byTime = settings.DurationSeconds is { } d ? client.Now() / d : 0;
            progress.Report(Math.Min(1, Math.Max(byCount, byTime)));
        }

        async Task Send(int index)
        {
            var request = workload[index % workload.Length];
            var random = new Random(HashCode.Combine(settings.Seed, index));
            var text = prompts.Text(request, settings.Seed, random);
            var outcome = await client.SendAsync(text, request.InputTokens, request.OutputTokens, stop).ConfigureAwait(false);
            lock (gate)
            {
                outcomes.Add(outcome);
            }

            Interlocked.Increment(ref done);
            Report();
        }

        bool MayStart(int index, double at) =>
            !stop.IsCancellationRequested
            && (settings.Requests is not { } cap || index < cap)
            && (settings.DurationSeconds is not { } limit || at < limit)
            && (settings.DurationSeconds is not null || index < workload.Length);

        if (settings.Concurrency is { } concurrency)
        {
            var next = -1;
            // --duration counts from the first send: workers a loaded machine starts late still send (an open loop's
            // schedule is its own clock already).
            var firstSend = -1.0;
            double SinceFirstSend()
            {
                var now = client.Now();
                var first = Interlocked.CompareExchange(ref firstSend, now, -1.0);
                return first < 0 ? 0 : now - first;
            }

            async Task Worker()
            {
                while (true)
                {
                    var index = Interlocked.Increment(ref next);
                    if (!MayStart(index, SinceFirstSend()))
                    {
                        return;
                    }

                    await Send(index).ConfigureAwait(false);
                }
            }

            await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(Worker, CancellationToken.None))).ConfigureAwait(false);
        }
        else
        {
            var inFlight = new List<Task>();
            var cycle = 0.0;
            for (var index = 0; ; index++)
            {
                if (index > 0 && index % workload.Length == 0)
                {
                    cycle = workload[^1].ArrivalSeconds * (index / workload.Length);
                }

                var at = cycle + workload[index % workload.Length].ArrivalSeconds;
                if (!MayStart(index, at))
                {
                    break;
                }

                var wait = at - client.Now();
                if (wait > 0.001)
                {
                    try
                    {
                        await Task.Delay(TimeSpan.FromSeconds(wait), stop).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        break;
                    }
                }

                inFlight.Add(Send(index));
                Report();
            }

            await Task.WhenAll(inFlight).ConfigureAwait(false);
        }

        var seconds = client.Now();
        progress?.Report(1);
        lock (gate)
        {
            return ([.. outcomes.OrderBy(o => o.Start)], seconds);
        }
    }

    /// <summary>The requests' lengths and (open loop) arrival times.</summary>
    private static WorkloadRequest[] Requests(BenchSettings settings)
    {
        var spec = settings.Workload;
        if (spec.Kind == WorkloadKind.Trace)
        {
            var trace = spec.Generate(settings.Requests ?? int.MaxValue, null, settings.Seed);
            if (trace.Length == 0)
            {
                throw new Engine.InputException($"--workload {spec}: the trace holds no requests.");
            }

            // Arrival times relative to the first request, so the run starts at once.
            var first = trace[0].ArrivalSeconds;
            return [.. trace.Select(r => r with { ArrivalSeconds = r.ArrivalSeconds - first })];
        }

        var count = settings.Requests ?? DurationPool;
        return spec.Generate(count, settings.Rate, settings.Seed);
    }
}
