using DisaggServing.Worker.Observability.Prometheus;

namespace DisaggServing.Worker.Tests;

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
}
