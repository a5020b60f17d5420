using System.Text.Json.Serialization;

namespace DisaggServing.Engine.Metrics;

/// <summary>
/// Distribution of one latency metric, in milliseconds. Percentiles interpolate linearly between the two nearest
/// ranks (NumPy's default, which vLLM's benchmark_serving reports), so they are exact for the values given.
/// </summary>
/// <param name="Count">Number of values summarized.</param>
/// <param name="Mean">Arithmetic mean.</param>
/// <param name="P50">Median.</param>
/// <param name="P90">90th percentile.</param>
/// <param name="P95">95th percentile.</param>
/// <param name="P99">99th percentile.</param>
/// <param name="Max">Largest value.</param>
public sealed record LatencySummary(
    [property: JsonPropertyName("count")] long Count,
    [property: JsonPropertyName("mean")] double Mean,
    [property: JsonPropertyName("p50")] double P50,
    [property: JsonPropertyName("p90")] double P90,
    [property: JsonPropertyName("p95")] double P95,
    [property: JsonPropertyName("p99")] double P99,
    [property: JsonPropertyName("max")] double Max)
{
    /// <summary>The summary of no values: all zeros, so reports stay valid JSON (no NaN).</summary>
    public static LatencySummary Empty { get; } = new(0, 0, 0, 0, 0, 0, 0);

    /// <summary>Summarizes <paramref name="milliseconds"/> exactly (the values are copied and sorted).</summary>
    public static LatencySummary FromMilliseconds(ReadOnlySpan<double> milliseconds)
    {
        if (milliseconds.IsEmpty)
        {
            return Empty;
        }

        return FromUnsorted(milliseconds.ToArray());
    }

    /// <summary>Summarizes <paramref name="milliseconds"/>, sorting the array in place.</summary>
    internal static LatencySummary FromUnsorted(double[] milliseconds)
    {
        if (milliseconds.Length == 0)
        {
            return Empty;
        }

        var sorted = milliseconds;
        DoubleSort.Sort(sorted);
        var sum = 0.0;
        foreach (var value in sorted)
        {
            sum += value;
        }

        return new LatencySummary(
            sorted.Length,
            sum / sorted.Length,
            Percentile(sorted, 50),
            Percentile(sorted, 90),
            Percentile(sorted, 95),
            Percentile(sorted, 99),
            sorted[^1]);
    }

    /// <summary>Summarizes values given in seconds, reporting milliseconds.</summary>
    public static LatencySummary FromSeconds(IEnumerable<double> seconds)
    {
        ArgumentNullException.ThrowIfNull(seconds);
        return FromMilliseconds(seconds.Select(s => s * 1000.0).ToArray());
    }

    /// <summary>
    /// The <paramref name="percentile"/>-th percentile (0–100) of ascending <paramref name="sorted"/> values, linearly
    /// interpolated between the two nearest ranks.
    /// </summary>
    public static double Percentile(ReadOnlySpan<double> sorted, double percentile)
    {
        if (sorted.IsEmpty)
        {
            throw new ArgumentException("Cannot take a percentile of no values.", nameof(sorted));
        }

        if (!(percentile >= 0 && percentile <= 100))
        {
            throw new ArgumentOutOfRangeException(nameof(percentile), percentile, "Use a percentile from 0 to 100.");
        }

        var rank = percentile / 100.0 * (sorted.Length - 1);
        var lower = (int)Math.Floor(rank);
        var upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + ((rank - lower) * (sorted[upper] - sorted[lower]));
    }
}
