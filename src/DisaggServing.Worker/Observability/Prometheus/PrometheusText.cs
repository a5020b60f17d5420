using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace DisaggServing.Worker.Observability.Prometheus;

/// <summary>
/// Prometheus text exposition (format 0.0.4) helpers. Metric names may contain colons, as vLLM's
/// (<c>vllm:num_requests_running</c>) do and the format allows.
/// </summary>
public static partial class PrometheusText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static void CheckName(string name)
    {
        if (!MetricName().IsMatch(name))
            throw new ArgumentException($"'{name}' is not a Prometheus metric name.", nameof(name));
    }

    public static void CheckLabel(string label)
    {
        if (!LabelName().IsMatch(label))
            throw new ArgumentException($"'{label}' is not a Prometheus label name.", nameof(label));
    }

    public static string Value(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ when double.IsNaN(value) => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    public static string Escape(string labelValue) =>
        labelValue.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    /// <summary><c>{a="x",b="y"}</c>, or "" when there are no labels.</summary>
    public static string Labels(string staticLabels, string? extra)
    {
        var all = string.IsNullOrEmpty(extra) ? staticLabels : string.IsNullOrEmpty(staticLabels) ? extra : staticLabels + "," + extra;
        return all.Length == 0 ? "" : "{" + all + "}";
    }

    public static void Header(StringBuilder text, string name, string help, string type) =>
        text.Append("# HELP ").Append(name).Append(' ').Append(help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)).Append('\n')
            .Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    [GeneratedRegex("^[a-zA-Z_:][a-zA-Z0-9_:]*$")]
    private static partial Regex MetricName();

    [GeneratedRegex("^[a-zA-Z_][a-zA-Z0-9_]*$")]
    private static partial Regex LabelName();
}
