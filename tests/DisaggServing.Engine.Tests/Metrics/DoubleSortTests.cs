using DisaggServing.Engine.Metrics;

namespace DisaggServing.Engine.Tests.Metrics;

public class DoubleSortTests
{
    [Theory]
    [InlineData(10)]
    [InlineData(5_000)]
    [InlineData(200_000)]
    public void Sorts_as_Array_Sort_does_value_for_value(int length)
    {
        var random = new Random(7);
        // Latency-like values over several magnitudes, repeats, zeros, and a few negatives and extremes.
        var values = new double[length];
        for (var i = 0; i < length; i++)
            values[i] = (i % 11) switch
            {
                0 => 0.0,
                1 => -random.NextDouble() * 1e3,
                2 => Math.Round(random.NextDouble() * 100, 1),
                3 => double.MaxValue,
                4 => double.Epsilon,
                _ => Math.Exp(random.NextDouble() * 20 - 5),
            };
        var expected = (double[])values.Clone();
        Array.Sort(expected);

        DoubleSort.Sort(values);

        Assert.Equal(expected, values);
    }

    [Fact]
    public void An_array_with_NaN_is_sorted_as_Array_Sort_sorts_it()
    {
        var values = Enumerable.Range(0, 5_000).Select(i => i % 100 == 0 ? double.NaN : 5_000.0 - i).ToArray();
        var expected = (double[])values.Clone();
        Array.Sort(expected);

        DoubleSort.Sort(values);

        Assert.Equal(expected, values);
    }

    [Fact]
    public void A_large_summary_matches_the_one_of_a_comparison_sort()
    {
        var random = new Random(3);
        var values = Enumerable.Range(0, 50_000).Select(_ => random.NextDouble() * 250).ToArray();
        var sorted = (double[])values.Clone();
        Array.Sort(sorted);

        var summary = LatencySummary.FromMilliseconds(values);

        Assert.Equal(sorted.Sum(), summary.Mean * sorted.Length, 6);
        Assert.Equal(LatencySummary.Percentile(sorted, 99), summary.P99);
        Assert.Equal(LatencySummary.Percentile(sorted, 50), summary.P50);
        Assert.Equal(sorted[^1], summary.Max);
    }
}
