using CsCheck;
using DisaggServing.Engine.Metrics;

namespace DisaggServing.Engine.Tests.Metrics;

public class LatencySummaryTests
{
    [Fact]
    public void Percentiles_interpolate_between_ranks_like_numpy()
    {
        double[] sorted = [1, 2, 3, 4];
        Assert.Equal(1, LatencySummary.Percentile(sorted, 0));
        Assert.Equal(2.5, LatencySummary.Percentile(sorted, 50));
        Assert.Equal(3.7, LatencySummary.Percentile(sorted, 90), 12);
        Assert.Equal(3.97, LatencySummary.Percentile(sorted, 99), 12);
        Assert.Equal(4, LatencySummary.Percentile(sorted, 100));
        Assert.Equal(7, LatencySummary.Percentile([7.0], 99));
    }

    [Fact]
    public void Summary_of_one_to_a_hundred()
    {
        var values = Enumerable.Range(1, 100).Select(i => (double)i).Reverse().ToArray();
        var summary = LatencySummary.FromMilliseconds(values);
        Assert.Equal(100, summary.Count);
        Assert.Equal(50.5, summary.Mean);
        Assert.Equal(50.5, summary.P50);
        Assert.Equal(90.1, summary.P90, 12);
        Assert.Equal(95.05, summary.P95, 12);
        Assert.Equal(99.01, summary.P99, 12);
        Assert.Equal(100, summary.Max);
    }

    [Fact]
    public void Seconds_are_reported_in_milliseconds()
    {
        var summary = LatencySummary.FromSeconds([0.1, 0.2, 0.3]);
        Assert.Equal(200, summary.P50, 9);
        Assert.Equal(300, summary.Max, 9);
    }

    [Fact]
    public void No_values_give_the_empty_summary()
    {
        Assert.Same(LatencySummary.Empty, LatencySummary.FromMilliseconds([]));
        Assert.Equal(0, LatencySummary.Empty.Count);
    }

    [Fact]
    public void Percentile_arguments_are_checked()
    {
        Assert.Throws<ArgumentException>(() => LatencySummary.Percentile([], 50));
        Assert.Throws<ArgumentOutOfRangeException>(() => LatencySummary.Percentile([1.0], 101));
    }

    [Fact]
    public void Percentiles_are_ordered_and_within_the_range_of_the_values()
    {
        Gen.Double[0, 1e6].Array[1, 200].Sample(values =>
        {
            var s = LatencySummary.FromMilliseconds(values);
            Assert.True(values.Min() <= s.P50);
            Assert.True(s.P50 <= s.P90 && s.P90 <= s.P95 && s.P95 <= s.P99 && s.P99 <= s.Max);
            Assert.Equal(values.Max(), s.Max);
            Assert.InRange(s.Mean, values.Min() - 1e-6, values.Max() + 1e-6);
        });
    }
}
