using System.Globalization;
using System.Text;

namespace DisaggServing.Engine.Calibration;

/// <summary>One sample of a scrape: a series (name and labels), its value and, when the exposition gave one, its timestamp.</summary>
/// <param name="Name">Metric name as exposed (with a counter's <c>_total</c>, a histogram's <c>_bucket</c>/<c>_sum</c>/<c>_count</c>).</param>
/// <param name="Labels">Label names to values.</param>
/// <param name="Value">The value.</param>
/// <param name="TimestampMs">Milliseconds since the Unix epoch, or null.</param>
public sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value, long? TimestampMs)
{
    /// <summary>The label's value, or null.</summary>
    public string? Label(string name) => Labels.TryGetValue(name, out var value) ? value : null;
}

/// <summary>
/// A page of the Prometheus text exposition format (version 0.0.4), as a server's <c>/metrics</c> returns it, parsed
/// strictly: a line that is not a comment, a <c>HELP</c>/<c>TYPE</c> line or a well-formed sample, and a series given
/// twice, are errors naming the file and line. No NuGet package parses this format (prometheus-net only writes it).
/// </summary>
public sealed class PrometheusScrape
{
    private PrometheusScrape(string source, IReadOnlyList<PrometheusSample> samples, IReadOnlyDictionary<string, string> types)
    {
        Source = source;
        Samples = samples;
        Types = types;
    }

    /// <summary>Where the text came from (a path), for messages.</summary>
    public string Source { get; }

    /// <summary>Every sample, in page order.</summary>
    public IReadOnlyList<PrometheusSample> Samples { get; }

    /// <summary>The declared type of each metric family (<c># TYPE</c>): counter, gauge, histogram, summary, untyped.</summary>
    public IReadOnlyDictionary<string, string> Types { get; }

    /// <summary>Reads and parses the file at <paramref name="path"/>.</summary>
    public static PrometheusScrape Load(string path)
    {
        string text;
        try { text = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"{path}: cannot be read ({e.GetType().Name}); give a file saved from the server's /metrics (curl -s http://HOST:PORT/metrics > FILE).");
        }
        return Parse(text, path);
    }

    /// <summary>Parses <paramref name="text"/>; <paramref name="source"/> names it in errors.</summary>
    public static PrometheusScrape Parse(string text, string source)
    {
        ArgumentNullException.ThrowIfNull(text);
        var samples = new List<PrometheusSample>();
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            if (line.Trim().Length == 0) continue;
            var at = $"{source}:{i + 1}";
            if (line.StartsWith('#'))
            {
                ReadComment(line, at, types);
                continue;
            }
            var sample = ReadSample(line, at);
            var key = sample.Name + "{" + string.Join(",", sample.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}")) + "}";
            if (!seen.Add(key))
                throw new InputException($"{at}: the series {key} appears twice; a file must hold one scrape (save each scrape to its own file).");
            samples.Add(sample);
        }
        if (samples.Count == 0)
            throw new InputException($"{source}: no samples; give a file saved from the server's /metrics (curl -s http://HOST:PORT/metrics > FILE).");
        return new PrometheusScrape(source, samples, types);
    }

    // "# TYPE name type" and "# HELP name text" are structured; any other "#" line is a comment.
    private static void ReadComment(string line, string at, Dictionary<string, string> types)
    {
        var parts = line[1..].TrimStart().Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0 || parts[0] is not ("TYPE" or "HELP")) return;
        if (parts.Length < 2 || !IsMetricName(parts[1]))
            throw new InputException($"{at}: '# {parts[0]}' needs a metric name; is the file a Prometheus /metrics page?");
        if (parts[0] == "HELP") return;
        var type = parts.Length == 3 ? parts[2].Trim() : "";
        // The text format's types, and OpenMetrics' (a server asked for application/openmetrics-text answers with them).
        if (type is not ("counter" or "gauge" or "histogram" or "summary" or "untyped" or "unknown" or "info" or "stateset" or "gaugehistogram"))
            throw new InputException($"{at}: '# TYPE {parts[1]}' has type '{type}'; the text format knows counter, gauge, histogram, summary and untyped.");
        if (!types.TryAdd(parts[1], type))
            throw new InputException($"{at}: a second '# TYPE {parts[1]}'; a file must hold one scrape (save each scrape to its own file).");
    }

    private static PrometheusSample ReadSample(string line, string at)
    {
        var pos = 0;
        while (pos < line.Length && IsNameChar(line[pos], pos == 0)) pos++;
        var name = line[..pos];
        if (name.Length == 0)
            throw new InputException($"{at}: '{Shorten(line)}' is not a sample (NAME{{LABELS}} VALUE [TIMESTAMP]); is the file a Prometheus /metrics page?");
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (pos < line.Length && line[pos] == '{') pos = ReadLabels(line, pos + 1, labels, at, name);
        var rest = line[pos..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (pos < line.Length && line[pos] is not (' ' or '\t') || rest.Length is < 1 or > 2)
            throw new InputException($"{at}: sample '{name}' needs a value after its name and labels, and at most a timestamp after that.");
        if (!TryValue(rest[0], out var value))
            throw new InputException($"{at}: the value '{rest[0]}' of '{name}' is not a number (NaN, +Inf and -Inf are allowed).");
        long? timestamp = null;
        if (rest.Length == 2)
        {
            if (!long.TryParse(rest[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var ms))
                throw new InputException($"{at}: the timestamp '{rest[1]}' of '{name}' is not whole milliseconds since the Unix epoch.");
            timestamp = ms;
        }
        return new PrometheusSample(name, labels, value, timestamp);
    }

    // name="value",… } with \\, \" and \n escapes; returns the position after '}'.
    private static int ReadLabels(string line, int pos, Dictionary<string, string> labels, string at, string metric)
    {
        while (true)
        {
            while (pos < line.Length && line[pos] == ' ') pos++;
            if (pos < line.Length && line[pos] == '}') return pos + 1;
            var start = pos;
            while (pos < line.Length && IsLabelChar(line[pos], pos == start)) pos++;
            var label = line[start..pos];
            if (label.Length == 0 || pos + 1 >= line.Length || line[pos] != '=' || line[pos + 1] != '"')
                throw new InputException($"{at}: the labels of '{metric}' are malformed; write them as {{name=\"value\",…}}.");
            pos += 2;
            var value = new StringBuilder();
            while (true)
            {
                if (pos >= line.Length)
                    throw new InputException($"{at}: the value of label '{label}' of '{metric}' has no closing quote.");
                var c = line[pos++];
                if (c == '"') break;
                if (c != '\\') { value.Append(c); continue; }
                if (pos >= line.Length) continue;
                var escaped = line[pos++];
                value.Append(escaped switch { 'n' => '\n', '\\' => '\\', '"' => '"', _ => throw new InputException($"{at}: label '{label}' of '{metric}' has an unknown escape '\\{escaped}' (the format allows \\\\, \\\" and \\n).") });
            }
            if (!labels.TryAdd(label, value.ToString()))
                throw new InputException($"{at}: label '{label}' of '{metric}' is given twice.");
            while (pos < line.Length && line[pos] == ' ') pos++;
            if (pos < line.Length && line[pos] == ',') pos++;
            else if (pos >= line.Length || line[pos] != '}')
                throw new InputException($"{at}: the labels of '{metric}' are malformed; separate them with ',' and close them with '}}'.");
        }
    }

    private static bool TryValue(string text, out double value)
    {
        switch (text)
        {
            case "+Inf" or "Inf": value = double.PositiveInfinity; return true;
            case "-Inf": value = double.NegativeInfinity; return true;
            case "NaN": value = double.NaN; return true;
            default: return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);
        }
    }

    private static bool IsMetricName(string s) => s.Length > 0 && s.Select((c, i) => IsNameChar(c, i == 0)).All(ok => ok);

    private static bool IsNameChar(char c, bool first) => char.IsAsciiLetter(c) || c is '_' or ':' || (!first && char.IsAsciiDigit(c));

    private static bool IsLabelChar(char c, bool first) => char.IsAsciiLetter(c) || c == '_' || (!first && char.IsAsciiDigit(c));

    private static string Shorten(string line) => line.Length <= 60 ? line : line[..60] + "…";
}
