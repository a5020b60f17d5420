using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace DisaggServing.Protocol.Prometheus;

/// <summary>
/// Prometheus text exposition (format 0.0.4) helpers. Metric names may contain colons, as vLLM's
/// (<c>vllm:num_requests_running</c>) do and the format allows.
/// </summary>
public static partial class PrometheusText
{
    /// <summary>The content type of the format.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>Throws unless <paramref name="name"/> is a valid metric name.</summary>
    /// <param name="name">The name.</param>
    /// <exception cref="ArgumentException">An invalid name.</exception>
    public static void CheckName(string name)
    {
        if (!MetricName().IsMatch(name))
            throw new ArgumentException($"'{name}' is not a Prometheus metric name.", nameof(name));
    }

    /// <summary>Throws unless <paramref name="label"/> is a valid label name.</summary>
    /// <param name="label">The label name.</param>
    /// <exception cref="ArgumentException">An invalid label name.</exception>
    public static void CheckLabel(string label)
    {
        if (!LabelName().IsMatch(label))
            throw new ArgumentException($"'{label}' is not a Prometheus label name.", nameof(label));
    }

    /// <summary>A sample value as the format writes it (<c>+Inf</c>, <c>-Inf</c>, <c>NaN</c>, or round-trip invariant).</summary>
    /// <param name="value">The value.</param>
    public static string Value(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ when double.IsNaN(value) => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    /// <summary>Escapes a label value (backslash, double quote, newline).</summary>
    /// <param name="labelValue">The raw value.</param>
    public static string Escape(string labelValue) =>
        labelValue.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    /// <summary><c>{a="x",b="y"}</c>, or "" when there are no labels.</summary>
    /// <param name="staticLabels">Formatted labels common to every series, or "".</param>
    /// <param name="extra">Formatted labels of this sample, or null.</param>
    public static string Labels(string staticLabels, string? extra)
    {
        var all = string.IsNullOrEmpty(extra) ? staticLabels : string.IsNullOrEmpty(staticLabels) ? extra : staticLabels + "," + extra;
        return all.Length == 0 ? "" : "{" + all + "}";
    }

    /// <summary>Appends the <c># HELP</c> and <c># TYPE</c> lines of a family.</summary>
    /// <param name="text">Where they are written.</param>
    /// <param name="name">The family's name.</param>
    /// <param name="help">The help text (backslashes and newlines are escaped).</param>
    /// <param name="type"><c>counter</c>, <c>gauge</c>, <c>histogram</c>…</param>
    public static void Header(StringBuilder text, string name, string help, string type) =>
        text.Append("# HELP ").Append(name).Append(' ').Append(help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)).Append('\n')
            .Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    [GeneratedRegex("^[a-zA-Z_:][a-zA-Z0-9_:]*$")]
    private static partial Regex MetricName();

    [GeneratedRegex("^[a-zA-Z_][a-zA-Z0-9_]*$")]
    private static partial Regex LabelName();

    /// <summary>
    /// Writes a counter or gauge family: its header, then one sample, or one sample per label value in label order.
    /// </summary>
    /// <param name="text">Where the exposition goes.</param>
    /// <param name="name">Metric name.</param>
    /// <param name="help">HELP text.</param>
    /// <param name="type">TYPE: counter or gauge.</param>
    /// <param name="staticLabels">Labels every sample carries (may be empty).</param>
    /// <param name="labelName">The family's own label, or null for an unlabelled metric.</param>
    /// <param name="value">The value of an unlabelled metric.</param>
    /// <param name="children">The series of a labelled metric, by label value.</param>
    public static void Samples(StringBuilder text, string name, string help, string type, string staticLabels, string? labelName,
        double value, IEnumerable<KeyValuePair<string, double>> children)
    {
        ArgumentNullException.ThrowIfNull(text);
        Header(text, name, help, type);
        if (labelName is null)
        {
            text.Append(name).Append(Labels(staticLabels, null)).Append(' ').Append(Value(value)).Append('\n');
            return;
        }
        foreach (var (labelValue, childValue) in children.OrderBy(c => c.Key, StringComparer.Ordinal))
            text.Append(name).Append(Labels(staticLabels, $"{labelName}=\"{Escape(labelValue)}\""))
                .Append(' ').Append(Value(childValue)).Append('\n');
    }
}
