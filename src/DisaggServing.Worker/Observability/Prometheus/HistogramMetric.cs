using System.Text;

namespace DisaggServing.Worker.Observability.Prometheus;

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

    public string Name { get; }

    /// <summary>Called with every observation (mirrors the histogram into OpenTelemetry).</summary>
    public Action<double>? Recorded { get; set; }

    public long Count
    {
        get
        {
            lock (_gate)
                return _count;
        }
    }

    public double Sum
    {
        get
        {
            lock (_gate)
                return _sum;
        }
    }

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

    public void Write(StringBuilder text, string staticLabels)
    {
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
