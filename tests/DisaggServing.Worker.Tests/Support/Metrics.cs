using System.Globalization;

namespace DisaggServing.Worker.Tests.Support;

/// <summary>Reads sample values out of Prometheus text.</summary>
public static class Metrics
{
    /// <summary>Sum of the samples named <paramref name="name"/> whose labels contain <paramref name="labelFilter"/>.</summary>
    public static double Value(string text, string name, string? labelFilter = null)
    {
        double sum = 0;
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith('#') || !line.StartsWith(name, StringComparison.Ordinal))
                continue;
            var rest = line[name.Length..];
            if (rest.Length == 0 || (rest[0] != '{' && rest[0] != ' '))
                continue; // a longer name with this prefix
            if (labelFilter is not null && !rest.Contains(labelFilter, StringComparison.Ordinal))
                continue;
            sum += double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
        }
        return sum;
    }
}
