using System.Globalization;

namespace DisaggServing.Benchmarks.Serving;

/// <summary>Reads figures out of a Prometheus text exposition.</summary>
internal static class MetricsText
{
    /// <summary>The sum of every series named exactly <paramref name="name"/> (any labels); 0 when there is none.</summary>
    public static double Sum(string exposition, string name)
    {
        var sum = 0.0;
        foreach (var line in exposition.AsSpan().EnumerateLines())
        {
            if (line.IsEmpty || line[0] == '#' || !line.StartsWith(name, StringComparison.Ordinal) || line.Length == name.Length)
                continue;
            var next = line[name.Length];
            if (next is not ('{' or ' '))
                continue;
            var value = line[(line.LastIndexOf(' ') + 1)..];
            sum += double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture);
        }
        return sum;
    }
}
