using DisaggServing.Router.Monitoring;

namespace DisaggServing.Router.Tests.Unit;

public class VllmMetricsParserTests
{
    [Fact]
    public void Reads_vllms_load_gauges_summed_over_label_sets()
    {
        const string text = """
            # HELP vllm:num_requests_running Number of requests in model execution batches.
            # TYPE vllm:num_requests_running gauge
            vllm:num_requests_running{engine="0",model_name="meta llama {x}"} 3.0
            vllm:num_requests_running{engine="1",model_name="m"} 2.0
            vllm:num_requests_waiting{engine="0",model_name="m"} 4.0 1700000000000
            vllm:num_requests_waiting_by_reason{reason="x"} 100
            vllm:kv_cache_usage_perc{engine="0"} 0.25
            vllm:kv_cache_usage_perc{engine="1"} 0.75
            vllm:prompt_tokens_total 12345
            """;
        var load = VllmMetricsParser.Parse(text);
        Assert.Equal(5, load.Running);
        Assert.Equal(4, load.Waiting);
        Assert.Equal(0.5, load.KvUsage);
    }

    [Fact]
    public void Missing_or_broken_lines_read_zero()
    {
        var load = VllmMetricsParser.Parse("vllm:num_requests_running{a=\"b\" 3\nvllm:num_requests_waiting NaN\nvllm:kv_cache_usage_perc abc\n");
        Assert.Equal(0, load.Running);
        Assert.Equal(0, load.Waiting);
        Assert.Equal(0, load.KvUsage);
        Assert.Equal(0, VllmMetricsParser.Parse("").Running);
    }
}
