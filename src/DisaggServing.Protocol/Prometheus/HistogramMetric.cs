using System.Text;

namespace DisaggServing.Protocol.Prometheus;

/// <summary>A histogram with fixed upper bounds (cumulative buckets, sum and count, as Prometheus exposes them).</summary>
public sealed class HistogramMetric : IMetric
{
    private readonly string _help;
    private readonly double[] _bounds;
    private readonly long[] _counts;
    private readonly Lock _gate = new();
    private double _sum;
    private long _count;

    internal HistogramMetric(string name, string help, IReadOnlyList<double> buckets)
    {
        PrometheusText.CheckName(name);
        if (buckets.Count == 0 || buckets.Zip(buckets.Skip(1)).Any(p => p.First >= p.Second))
            throw new ArgumentException("Buckets must be a non-empty increasing list.", nameof(buckets));
        Name = name;
        _help = help;
        _bounds = [.. buckets];
        _counts = new long[_bounds.Length];
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>Called with every observation (mirrors the histogram into OpenTelemetry).</summary>
    public Action<double>? Recorded { get; set; }

    /// <summary>Observations in all.</summary>
    public long Count
    {
        get
        {
            lock (_gate)
                return _count;
        }
    }

    /// <summary>Sum of the observations.</summary>
    public double Sum
    {
        get
        {
            lock (_gate)
                return _sum;
        }
    }

    /// <summary>Counts <paramref name="value"/> in the first bucket whose bound is at least it.</summary>
    /// <param name="value">The observation.</param>
    public void Observe(double value)
    {
        var bucket = Array.BinarySearch(_bounds, value);
        if (bucket < 0)
            bucket = ~bucket; // first bound above the value
        lock (_gate)
        {
            if (bucket < _counts.Length)
                _counts[bucket]++;
            _sum += value;
            _count++;
        }
        Recorded?.Invoke(value);
    }

    /// <summary>
    /// Replaces the state with one kept elsewhere (a histogram mirrored at scrape time); <see cref="Recorded"/> is
    /// not called.
    /// </summary>
    /// <param name="bucketCounts">
    /// Observations per bucket, not cumulative: one per bound, optionally followed by the unbounded bucket's (which
    /// <paramref name="count"/> already covers).
    /// </param>
    /// <param name="count">Observations in all.</param>
    /// <param name="sum">Sum of the observations.</param>
    /// <exception cref="ArgumentException">The counts do not match the buckets, or exceed <paramref name="count"/>.</exception>
    public void Restore(IReadOnlyList<long> bucketCounts, long count, double sum)
    {
        ArgumentNullException.ThrowIfNull(bucketCounts);
        if (bucketCounts.Count != _bounds.Length && bucketCounts.Count != _bounds.Length + 1)
            throw new ArgumentException($"Expected {_bounds.Length} or {_bounds.Length + 1} bucket counts, got {bucketCounts.Count}.", nameof(bucketCounts));
        if (bucketCounts.Take(_bounds.Length).Any(c => c < 0) || bucketCounts.Take(_bounds.Length).Sum() > count)
            throw new ArgumentException("Bucket counts must be non-negative and add up to at most the count.", nameof(bucketCounts));
        lock (_gate)
        {
            for (var i = 0; i < _counts.Length; i++)
                _counts[i] = bucketCounts[i];
            _count = count;
            _sum = sum;
        }
    }

    /// <inheritdoc />
    public void Write(StringBuilder text, string staticLabels)
    {
        ArgumentNullException.ThrowIfNull(text);
        long[] counts;
        double sum;
        long count;
        lock (_gate)
        {
            counts = [.. _counts];
            sum = _sum;
            count = _count;
        }
        PrometheusText.Header(text, Name, _help, "histogram");
        long cumulative = 0;
        for (var i = 0; i < _bounds.Length; i++)
        {
            cumulative += counts[i];
            text.Append(Name).Append("_bucket").Append(PrometheusText.Labels(staticLabels, $"le=\"{PrometheusText.Value(_bounds[i])}\""))
                .Append(' ').Append(cumulative).Append('\n');
        }
        text.Append(Name).Append("_bucket").Append(PrometheusText.Labels(staticLabels, "le=\"+Inf\"")).Append(' ').Append(count).Append('\n');
        text.Append(Name).Append("_sum").Append(PrometheusText.Labels(staticLabels, null)).Append(' ').Append(PrometheusText.Value(sum)).Append('\n');
        text.Append(Name).Append("_count").Append(PrometheusText.Labels(staticLabels, null)).Append(' ').Append(count).Append('\n');
    }
}
