using DisaggServing.Protocol.Prometheus;

namespace DisaggServing.Protocol.Tests;

public sealed class PrometheusTextTests
{
    [Fact]
    public void Registry_exports_counters_gauges_and_histograms_with_static_labels()
    {
        var registry = new MetricRegistry(new Dictionary<string, string> { ["model_name"] = "m\"x" });
        var counter = registry.Counter("vllm:requests_total", "Requests.", "phase");
        var gauge = registry.Gauge("vllm:running", "Running.");
        var histogram = registry.Histogram("vllm:ttft_seconds", "TTFT.", [0.1, 1]);
        counter.WithLabels("prefill").Inc(2);
        gauge.Set(3);
        histogram.Observe(0.1);
        histogram.Observe(0.5);
        histogram.Observe(5);
        var refreshed = 0;
        registry.BeforeCollect(() => refreshed++);

        var text = registry.Export();

        Assert.Equal(1, refreshed);
        Assert.Contains("# TYPE vllm:requests_total counter\n", text);
        Assert.Contains("vllm:requests_total{model_name=\"m\\\"x\",phase=\"prefill\"} 2\n", text);
        Assert.Contains("vllm:running{model_name=\"m\\\"x\"} 3\n", text);
        Assert.Contains("vllm:ttft_seconds_bucket{model_name=\"m\\\"x\",le=\"0.1\"} 1\n", text);
        Assert.Contains("vllm:ttft_seconds_bucket{model_name=\"m\\\"x\",le=\"1\"} 2\n", text);
        Assert.Contains("vllm:ttft_seconds_bucket{model_name=\"m\\\"x\",le=\"+Inf\"} 3\n", text);
        Assert.Contains("vllm:ttft_seconds_sum{model_name=\"m\\\"x\"} 5.6\n", text);
        Assert.Contains("vllm:ttft_seconds_count{model_name=\"m\\\"x\"} 3\n", text);
    }

    [Fact]
    public void Counters_only_go_up()
    {
        var counter = new MetricRegistry().Counter("c_total", "C.");
        counter.IncTo(5);
        counter.IncTo(3);

        Assert.Equal(5, counter.Value);
        Assert.Throws<ArgumentOutOfRangeException>(() => counter.Inc(-1));
    }

    [Theory]
    [InlineData("1bad")]
    [InlineData("has space")]
    [InlineData("dash-name")]
    public void Invalid_names_are_refused(string name)
    {
        Assert.Throws<ArgumentException>(() => new MetricRegistry().Gauge(name, "x"));
    }

    [Fact]
    public void Writes_counters_gauges_and_labelled_gauges_with_colon_names()
    {
        var registry = new MetricRegistry();
        registry.Counter("disagg:x_total", "Things.").Inc(3);
        registry.Gauge("disagg:y", "Level.").Set(0.25);
        var byRole = registry.Gauge("disagg:z", "By role.", "role");
        byRole.WithLabels("prefill").Set(2);
        byRole.WithLabels("a\"b").Set(1);

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
            disagg:z{role="a\"b"} 1
            disagg:z{role="prefill"} 2

            """.ReplaceLineEndings("\n"),
            registry.Export());
    }

    [Fact]
    public void Unlabelled_gauges_refuse_label_values()
    {
        Assert.Throws<InvalidOperationException>(() => new MetricRegistry().Gauge("g", "G.").WithLabels("x"));
    }

    [Fact]
    public void Restored_histograms_have_cumulative_buckets_inf_sum_and_count()
    {
        var registry = new MetricRegistry();
        // Per-bucket counts with the unbounded bucket last, as a histogram kept elsewhere snapshots them.
        registry.Histogram("disagg:d_seconds", "Durations.", [0.001, 0.01]).Restore([1, 2, 1], 4, 2.0105);

        var text = registry.Export();

        Assert.Contains("# TYPE disagg:d_seconds histogram\n", text);
        Assert.Contains("disagg:d_seconds_bucket{le=\"0.001\"} 1\n", text);
        Assert.Contains("disagg:d_seconds_bucket{le=\"0.01\"} 3\n", text);
        Assert.Contains("disagg:d_seconds_bucket{le=\"+Inf\"} 4\n", text);
        Assert.Contains("disagg:d_seconds_sum 2.0105\n", text);
        Assert.Contains("disagg:d_seconds_count 4\n", text);
    }

    [Theory]
    [InlineData(new long[] { 1 }, 4)]
    [InlineData(new long[] { 3, 2 }, 4)]
    [InlineData(new long[] { -1, 0 }, 4)]
    public void Restore_refuses_counts_that_do_not_fit(long[] counts, long count)
    {
        var histogram = new MetricRegistry().Histogram("h", "H.", [1, 2]);

        Assert.Throws<ArgumentException>(() => histogram.Restore(counts, count, 0));
    }
}
