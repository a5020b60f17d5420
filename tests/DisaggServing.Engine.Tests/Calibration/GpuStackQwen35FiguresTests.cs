using DisaggServing.Engine.Calibration;
using DisaggServing.Engine.Estimation;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Tests.Calibration;

public class GpuStackQwen35FiguresTests
{
    private static readonly CalibrationPoint[] Rows = GpuStackQwen35Figures.Points().ToArray();

    [Fact]
    public void Every_row_is_a_one_gpu_chat_run_at_guidellms_constant_rate_with_at_most_512_in_flight_held_out_but_vllms_short_prompt_ttfts()
    {
        // vLLM's seven short-prompt TTFTs at 1-8 requests/s fit its chat-template cost from 0.17 (EngineProfile.ChatTemplateSeconds).
        var fitted = Rows.Where(p => !p.HeldOut).ToList();
        Assert.Equal(7, fitted.Count);
        Assert.All(fitted, p => Assert.Equal((CalibrationMetric.TtftMeanMs, "vllm"), (p.Metric, p.Options.Engine.Engine.Name)));
        Assert.All(fitted, p => Assert.InRange(p.Options.RequestRate!.Value, 1, 8));
        Assert.All(Rows, p =>
        {
            Assert.Equal(1, p.Options.Engine.TensorParallel);
            Assert.Equal((512, ApiEndpoint.Chat, MeasureWindow.All), (p.Options.Concurrency, p.Options.Endpoint, p.Options.Measure));
            Assert.NotNull(p.Options.RequestRate);
            Assert.True(p.Options.Burstiness >= 1000);
            Assert.NotNull(p.Options.Engine.Model.Linear);
        });
        Assert.Equal(["sglang", "vllm"], Rows.Select(p => p.Options.Engine.Engine.Engine.ToString().ToLowerInvariant()).Distinct().Order(StringComparer.Ordinal));
        // The sources name their releases, so the printed commands say them.
        Assert.All(Rows, p => Assert.NotNull(StatedRelease.Apply(p).Options.Engine.Release));
    }

    [Fact]
    public void A_rate_the_server_keeps_up_with_states_no_throughput_figure_since_the_rate_sets_it()
    {
        Assert.All(Rows.Where(p => p.Options.RequestRate <= 8), p => Assert.NotEqual(CalibrationMetric.OutputTokensPerSecond, p.Metric));
        // At 16 requests/s the 35B falls behind (447 in flight): its throughput is the server's again.
        Assert.Contains(Rows, p => p.Options.RequestRate == 16 && p.Metric == CalibrationMetric.OutputTokensPerSecond);
        Assert.Contains(Rows, p => p.Options.RequestRate == 1000 && p.Metric == CalibrationMetric.OutputTokensPerSecond);
    }
}
