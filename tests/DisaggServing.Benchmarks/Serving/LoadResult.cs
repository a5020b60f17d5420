using HdrHistogram;

namespace DisaggServing.Benchmarks.Serving;

/// <summary>
/// One load phase against one target: the completed-request rate and the samples of its window;
/// <see cref="PhaseCompleted"/> counts every success of the phase, warm-up included (to share out CPU time).
/// </summary>
internal sealed record LoadResult(string Target, double Rate, Sample[] Samples, int PhaseCompleted)
{
    public int Failed => Samples.Count(s => !s.Ok);

    public Percentiles E2e => Percentiles.Of(Samples.Where(s => s.Ok).Select(s => s.E2eMs));

    public Percentiles Ttft => Percentiles.Of(Samples.Where(s => s.Ok).Select(s => s.TtftMs));

    /// <summary>From the router's prefill response to the first byte at the client: TTFT minus Server-Timing's prefill.</summary>
    public Percentiles Handover => Percentiles.Of(Samples.Where(s => s.Ok && s.PrefillMs is not null).Select(s => s.TtftMs - s.PrefillMs!.Value));
}

/// <summary>p50/p90/p99/max in milliseconds (HdrHistogram at microsecond resolution, 3 significant digits).</summary>
internal sealed record Percentiles(int Count, double P50, double P90, double P99, double Max)
{
    public static Percentiles Of(IEnumerable<double> milliseconds)
    {
        var histogram = new LongHistogram(1, 600_000_000, 3);
        foreach (var ms in milliseconds)
            histogram.RecordValue(Math.Clamp((long)Math.Round(ms * 1000), 1, 600_000_000));
        if (histogram.TotalCount == 0)
            return new Percentiles(0, double.NaN, double.NaN, double.NaN, double.NaN);
        double At(double p) => histogram.GetValueAtPercentile(p) / 1000.0;
        return new Percentiles((int)histogram.TotalCount, At(50), At(90), At(99), histogram.GetMaxValue() / 1000.0);
    }
}
