using System.Text;

namespace DisaggServing.Protocol.Prometheus;

/// <summary>
/// A registry of metric families with labels common to all of them, exported as Prometheus text. Small and
/// self-contained because the usual .NET client rejects the colons of vLLM's metric names.
/// </summary>
public sealed class MetricRegistry(IReadOnlyDictionary<string, string>? staticLabels = null)
{
    private readonly Lock _gate = new();
    private readonly List<IMetric> _metrics = [];
    private readonly List<Action> _beforeCollect = [];
    private readonly string _staticLabels = string.Join(",", (staticLabels ?? new Dictionary<string, string>())
        .Select(l =>
        {
            PrometheusText.CheckLabel(l.Key);
            return $"{l.Key}=\"{PrometheusText.Escape(l.Value)}\"";
        }));

    /// <summary>Registers a counter.</summary>
    /// <param name="name">The family's name (the <c>_total</c> suffix included).</param>
    /// <param name="help">The <c># HELP</c> text.</param>
    /// <param name="labelName">The one label that splits the series, or null for a single series.</param>
    /// <exception cref="ArgumentException">An invalid or already registered name, or an invalid label name.</exception>
    public CounterMetric Counter(string name, string help, string? labelName = null) => Add(new CounterMetric(name, help, labelName));

    /// <summary>Registers a gauge.</summary>
    /// <param name="name">The family's name.</param>
    /// <param name="help">The <c># HELP</c> text.</param>
    /// <param name="labelName">The one label that splits the series, or null for a single series.</param>
    /// <exception cref="ArgumentException">An invalid or already registered name, or an invalid label name.</exception>
    public GaugeMetric Gauge(string name, string help, string? labelName = null) => Add(new GaugeMetric(name, help, labelName));

    /// <summary>Registers a histogram.</summary>
    /// <param name="name">The family's name (without the <c>_bucket</c>, <c>_sum</c>, <c>_count</c> suffixes).</param>
    /// <param name="help">The <c># HELP</c> text.</param>
    /// <param name="buckets">Bucket upper bounds, strictly increasing; <c>+Inf</c> is added.</param>
    /// <exception cref="ArgumentException">An invalid or already registered name, or invalid buckets.</exception>
    public HistogramMetric Histogram(string name, string help, IReadOnlyList<double> buckets) => Add(new HistogramMetric(name, help, buckets));

    /// <summary>Runs before every export (gauges that mirror state are refreshed here).</summary>
    /// <param name="callback">The callback.</param>
    public void BeforeCollect(Action callback)
    {
        lock (_gate)
            _beforeCollect.Add(callback);
    }

    /// <summary>Runs the <see cref="BeforeCollect"/> callbacks (also for readers other than <see cref="Export"/>).</summary>
    public void Refresh()
    {
        Action[] callbacks;
        lock (_gate)
            callbacks = [.. _beforeCollect];
        foreach (var callback in callbacks)
            callback();
    }

    /// <summary>Every family, in registration order, as Prometheus text (after <see cref="Refresh"/>).</summary>
    public string Export()
    {
        Refresh();
        IMetric[] metrics;
        lock (_gate)
            metrics = [.. _metrics];
        var text = new StringBuilder(4096);
        foreach (var metric in metrics)
            metric.Write(text, _staticLabels);
        return text.ToString();
    }

    private T Add<T>(T metric) where T : IMetric
    {
        lock (_gate)
        {
            if (_metrics.Any(m => m.Name == metric.Name))
                throw new ArgumentException($"Metric '{metric.Name}' is registered already.", nameof(metric));
            _metrics.Add(metric);
        }
        return metric;
    }
}
