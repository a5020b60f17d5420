using System.Globalization;
using System.Text;

namespace DisaggServing.KvTransfer.Telemetry;

/// <summary>
/// Writes the Prometheus text exposition format (0.0.4). Hand-rolled because prometheus-net refuses names with
/// colons, which Prometheus allows and vLLM-style names (<c>vllm:…</c>, <c>disagg:…</c>) use.
/// </summary>
public sealed class PrometheusTextWriter
{
    /// <summary>The content type of the format.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly StringBuilder _text = new();

    /// <summary>A counter sample (the name carries its <c>_total</c> suffix).</summary>
    public PrometheusTextWriter Counter(string name, string help, double value) =>
        Header(name, help, "counter").Sample(name, null, value);

    /// <summary>A counter with one label, one sample per value.</summary>
    public PrometheusTextWriter Counter(string name, string help, string label, IEnumerable<KeyValuePair<string, long>> samples)
    {
        Header(name, help, "counter");
        foreach (var (value, count) in samples)
            Sample(name, $"{label}=\"{Escape(value)}\"", count);
        return this;
    }

    /// <summary>A gauge sample.</summary>
    public PrometheusTextWriter Gauge(string name, string help, double value) =>
        Header(name, help, "gauge").Sample(name, null, value);

    /// <summary>A gauge with one label, one sample per value.</summary>
    public PrometheusTextWriter Gauge(string name, string help, string label, IEnumerable<KeyValuePair<string, long>> samples)
    {
        Header(name, help, "gauge");
        foreach (var (value, count) in samples)
            Sample(name, $"{label}=\"{Escape(value)}\"", count);
        return this;
    }

    /// <summary>A histogram: cumulative <c>_bucket</c> samples (with <c>+Inf</c>), <c>_sum</c> and <c>_count</c>.</summary>
    public PrometheusTextWriter Histogram(string name, string help, HistogramSnapshot histogram)
    {
        ArgumentNullException.ThrowIfNull(histogram);
        Header(name, help, "histogram");
        long cumulative = 0;
        for (var i = 0; i < histogram.UpperBounds.Count; i++)
        {
            cumulative += histogram.Counts[i];
            Sample(name + "_bucket", $"le=\"{Format(histogram.UpperBounds[i])}\"", cumulative);
        }

        Sample(name + "_bucket", "le=\"+Inf\"", histogram.Count);
        Sample(name + "_sum", null, histogram.Sum);
        return Sample(name + "_count", null, histogram.Count);
    }

    /// <inheritdoc />
    public override string ToString() => _text.ToString();

    private PrometheusTextWriter Header(string name, string help, string type)
    {
        _text.Append("# HELP ").Append(name).Append(' ').Append(help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)).Append('\n');
        _text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
        return this;
    }

    private PrometheusTextWriter Sample(string name, string? labels, double value)
    {
        _text.Append(name);
        if (labels is not null)
            _text.Append('{').Append(labels).Append('}');
        _text.Append(' ').Append(Format(value)).Append('\n');
        return this;
    }

    private static string Format(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        double.NaN => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    private static string Escape(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
