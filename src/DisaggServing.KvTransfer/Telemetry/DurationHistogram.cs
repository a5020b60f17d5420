namespace DisaggServing.KvTransfer.Telemetry;

/// <summary>Fixed-bucket histogram of durations in seconds (not thread-safe; the aggregator locks around it).</summary>
public sealed class DurationHistogram
{
    /// <summary>Buckets for KV transfers: 0.5 ms up to 10 s.</summary>
    public static IReadOnlyList<double> TransferBuckets { get; } =
        [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly double[] _bounds;
    private readonly long[] _counts;
    private double _sum;
    private long _count;

    /// <summary>Creates a histogram with ascending <paramref name="upperBounds"/> (an unbounded bucket is added).</summary>
    public DurationHistogram(IReadOnlyList<double> upperBounds)
    {
        ArgumentNullException.ThrowIfNull(upperBounds);
        for (var i = 1; i < upperBounds.Count; i++)
        {
            if (!(upperBounds[i] > upperBounds[i - 1]))
                throw new ArgumentException("Bucket bounds must be strictly ascending.", nameof(upperBounds));
        }

        _bounds = upperBounds.ToArray();
        _counts = new long[_bounds.Length + 1];
    }

    /// <summary>Counts <paramref name="seconds"/> in the first bucket whose bound is at least it.</summary>
    public void Observe(double seconds)
    {
        var index = Array.BinarySearch(_bounds, seconds);
        _counts[index >= 0 ? index : ~index]++;
        _sum += seconds;
        _count++;
    }

    /// <summary>A copy of the current counts.</summary>
    public HistogramSnapshot Snapshot() => new(_bounds, (long[])_counts.Clone(), _count, _sum);
}
