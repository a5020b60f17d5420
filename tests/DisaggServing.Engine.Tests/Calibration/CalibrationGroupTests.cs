using DisaggServing.Engine.Calibration;

namespace DisaggServing.Engine.Tests.Calibration;

public class CalibrationGroupTests
{
    // A point of the set under another source and metric, held out or not: the grouping reads only those and the error.
    private static CalibrationRow Row(string source, CalibrationMetric metric, bool heldOut, double error)
    {
        var point = CalibrationSet.Points[0] with { Source = source, Metric = metric, Published = 100, HeldOut = heldOut };
        return new CalibrationRow(point, 100 * (1 + error));
    }

    [Fact]
    public void Groups_a_sources_metrics_in_order_of_first_appearance_with_their_median_signed_error_and_counts()
    {
        var rows = new[]
        {
            Row("A", CalibrationMetric.TtftMeanMs, heldOut: true, -0.30),
            Row("B", CalibrationMetric.ItlMeanMs, heldOut: true, 0.05),
            Row("A", CalibrationMetric.OutputTokensPerSecond, heldOut: false, 0.10),
            Row("A", CalibrationMetric.TtftMeanMs, heldOut: false, 0.02),
            Row("A", CalibrationMetric.TtftMeanMs, heldOut: true, -0.20),
            Row("A", CalibrationMetric.TtftMeanMs, heldOut: true, 0.16),
        };

        var groups = CalibrationGroup.Of(rows);

        // A's metrics together, before B, though B's row came second.
        Assert.Equal([("A", CalibrationMetric.TtftMeanMs), ("A", CalibrationMetric.OutputTokensPerSecond), ("B", CalibrationMetric.ItlMeanMs)],
            groups.Select(g => (g.Source, g.Metric)));
        var ttft = groups[0];
        Assert.Equal((4, 3, 1, 1), (ttft.Figures, ttft.HeldOut, ttft.Within, ttft.Beyond25));
        // |errors| 0.02 0.16 0.20 0.30 → 0.18; signed −0.30 −0.20 0.02 0.16 → −0.09: the model is low on the middle ones.
        Assert.Equal(0.18, ttft.MedianAbsError, 9);
        Assert.Equal(-0.09, ttft.MedianError, 9);
        Assert.Equal(0.30, ttft.Worst, 9);
    }

    [Fact]
    public void The_median_of_an_odd_count_is_its_middle_value_and_of_none_zero()
    {
        Assert.Equal(2, CalibrationGroup.Median([3, 1, 2]));
        Assert.Equal(2.5, CalibrationGroup.Median([4, 1, 3, 2]));
        Assert.Equal(0, CalibrationGroup.Median([]));
    }
}
