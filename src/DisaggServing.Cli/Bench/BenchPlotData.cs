using DisaggServing.Bench;

namespace DisaggServing.Cli.Bench;

/// <summary>One latency's empirical CDF: <see cref="Ms"/> ascending, <see cref="Fraction"/> the share of the
/// <see cref="Count"/> samples at or below it, non-decreasing and ending at 1 (both empty when there are no samples).</summary>
internal sealed record CdfSeries(string Name, double[] Ms, double[] Fraction, long Count);

/// <summary>A request on the timeline: when it started in the run (s) and its TTFT (ms; 0 for a failure).</summary>
internal readonly record struct TimelinePoint(double StartSeconds, double TtftMs);

/// <summary>
/// What <c>bench --plot</c> draws, computed from the outcomes without any rendering: the latency CDFs, each successful
/// request's TTFT against its start time, the failures' start times and the SLO bounds. Large runs are thinned to a
/// bounded number of points so an HTML page stays small; the thinning keeps the extremes a reader looks for.
/// </summary>
internal sealed record BenchPlotData
{
    /// <summary>Most points per CDF: more is invisible at any sensible size and bloats the SVG.</summary>
    public const int MaxCdfPoints = 1000;

    /// <summary>Most timeline markers per kind (successes, failures), for the same reason.</summary>
    public const int MaxTimelinePoints = 4000;

    /// <summary>The run, for the title: model, endpoint, workload and load.</summary>
    public required string Title { get; init; }

    /// <summary>TTFT, TPOT, ITL and E2E, in that order; series without samples are kept (empty) so legends can say so.</summary>
    public required IReadOnlyList<CdfSeries> Cdfs { get; init; }

    /// <summary>Successful requests, by start time (thinned when there are many).</summary>
    public required TimelinePoint[] Successes { get; init; }

    /// <summary>Failed requests, by start time (thinned when there are many); TTFT is 0.</summary>
    public required TimelinePoint[] Failures { get; init; }

    /// <summary>Failed requests in the run, before any thinning.</summary>
    public int FailureCount { get; init; }

    /// <summary>Successful requests in the run, before any thinning.</summary>
    public int SuccessCount { get; init; }

    /// <summary>Whether responses were streamed; without streaming TTFT is the end-to-end time.</summary>
    public bool Streamed { get; init; }

    public double? SloTtftMs { get; init; }
    public double? SloTpotMs { get; init; }

    public static BenchPlotData From(BenchReport report, IReadOnlyList<BenchOutcome> outcomes)
    {
        var ok = outcomes.Where(o => o.Succeeded).ToArray();
        var failed = outcomes.Where(o => !o.Succeeded).OrderBy(o => o.Start).ToArray();
        return new BenchPlotData
        {
            Title = report.Describe(),
            Cdfs =
            [
                Cdf("TTFT", ok.Select(o => o.TtftSeconds * 1000)),
                Cdf("TPOT", ok.Select(o => o.TpotSeconds(report.Stream)).OfType<double>().Select(s => s * 1000)),
                Cdf("ITL", ok.SelectMany(o => o.ChunkGaps).Select(s => s * 1000)),
                Cdf("E2E", ok.Select(o => o.E2eSeconds * 1000)),
            ],
            Successes = Thin(ok.Select(o => new TimelinePoint(o.Start, o.TtftSeconds * 1000)).OrderBy(p => p.StartSeconds).ToArray(),
                MaxTimelinePoints),
            Failures = Spread(failed.Select(o => new TimelinePoint(o.Start, 0)).ToArray(), MaxTimelinePoints),
            SuccessCount = ok.Length,
            FailureCount = failed.Length,
            Streamed = report.Stream,
            SloTtftMs = report.Slo.TtftMs,
            SloTpotMs = report.Slo.TpotMs,
        };
    }

    /// <summary>
    /// The empirical CDF of <paramref name="valuesMs"/>: the i-th smallest of n at fraction (i + 1) / n. Over
    /// <paramref name="maxPoints"/> samples it keeps evenly spaced ranks, always the smallest and the largest, so the
    /// curve still starts at the minimum and ends at exactly 1.
    /// </summary>
    public static CdfSeries Cdf(string name, IEnumerable<double> valuesMs, int maxPoints = MaxCdfPoints)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPoints, 2);
        var sorted = valuesMs.Where(double.IsFinite).ToArray();
        Array.Sort(sorted);
        var n = sorted.Length;
        var kept = Math.Min(n, maxPoints);
        var ms = new double[kept];
        var fraction = new double[kept];
        for (var j = 0; j < kept; j++)
        {
            // kept == n keeps every rank; otherwise ranks 0 … n−1 in even steps (distinct, since n > kept).
            var rank = kept == n ? j : (int)Math.Round((double)j * (n - 1) / (kept - 1));
            ms[j] = sorted[rank];
            fraction[j] = (rank + 1) / (double)n;
        }

        return new CdfSeries(name, ms, fraction, n);
    }

    /// <summary>
    /// At most <paramref name="max"/> of time-ordered <paramref name="points"/>: split into max/3 consecutive slices,
    /// each keeps its lowest and highest TTFT, so spikes survive (an even stride would drop them), and its middle
    /// point, so the bulk between the extremes still shows.
    /// </summary>
    public static TimelinePoint[] Thin(TimelinePoint[] points, int max)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 3);
        if (points.Length <= max)
            return points;

        var slices = max / 3;
        var kept = new List<TimelinePoint>(slices * 3);
        for (var slice = 0; slice < slices; slice++)
        {
            var from = (int)((long)slice * points.Length / slices);
            var to = (int)((long)(slice + 1) * points.Length / slices);
            var (low, high) = (from, from);
            for (var i = from + 1; i < to; i++)
            {
                if (points[i].TtftMs < points[low].TtftMs) low = i;
                if (points[i].TtftMs > points[high].TtftMs) high = i;
            }

            // In time order, each index once.
            foreach (var index in new[] { low, (from + to) / 2, high }.Distinct().Order())
            {
                kept.Add(points[index]);
            }
        }

        return [.. kept];
    }

    /// <summary>At most <paramref name="max"/> of <paramref name="points"/> at an even stride (failures all sit at
    /// TTFT 0, so only where they happen matters).</summary>
    public static TimelinePoint[] Spread(TimelinePoint[] points, int max)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        if (points.Length <= max)
            return points;

        return [.. Enumerable.Range(0, max).Select(j => points[(int)((long)j * points.Length / max)])];
    }
}
