using DisaggServing.KvTransfer.Telemetry;

namespace DisaggServing.KvTransfer.Tests.Telemetry;

public class PrometheusTextWriterTests
{
    [Fact]
    public void Writes_counters_gauges_and_labels_with_colon_names()
    {
        var text = new PrometheusTextWriter()
            .Counter("disagg:x_total", "Things.", 3)
            .Gauge("disagg:y", "Level.", 0.25)
            .Gauge("disagg:z", "By role.", "role", [new("prefill", 2), new("a\"b", 1)])
            .ToString();

        Assert.Equal(
            """
            # HELP disagg:x_total Things.
            # TYPE disagg:x_total counter
            disagg:x_total 3
            # HELP disagg:y Level.
            # TYPE disagg:y gauge
            disagg:y 0.25
            # HELP disagg:z By role.
            # TYPE disagg:z gauge
            disagg:z{role="prefill"} 2
            disagg:z{role="a\"b"} 1

            """.ReplaceLineEndings("\n"),
            text);
    }

    [Fact]
    public void Histograms_have_cumulative_buckets_inf_sum_and_count()
    {
        var histogram = new DurationHistogram([0.001, 0.01]);
        histogram.Observe(0.0005);
        histogram.Observe(0.005);
        histogram.Observe(0.005);
        histogram.Observe(2);

        var text = new PrometheusTextWriter().Histogram("disagg:d_seconds", "Durations.", histogram.Snapshot()).ToString();

        Assert.Contains("disagg:d_seconds_bucket{le=\"0.001\"} 1\n", text);
        Assert.Contains("disagg:d_seconds_bucket{le=\"0.01\"} 3\n", text);
        Assert.Contains("disagg:d_seconds_bucket{le=\"+Inf\"} 4\n", text);
        Assert.Contains("disagg:d_seconds_sum 2.0105\n", text);
        Assert.Contains("disagg:d_seconds_count 4\n", text);
        Assert.Contains("# TYPE disagg:d_seconds histogram\n", text);
    }
}
