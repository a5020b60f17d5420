using DisaggServing.Engine.Calibration;
using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Estimation;

namespace DisaggServing.Engine.Tests.Calibration;

// TensorRT-LLM v0.14's online serving table: Triton's TensorRT-LLM backend, 500 requests at 2-32 QPS and INF.
public class TritonServingV014FiguresTests
{
    private static List<CalibrationPoint> Rows() =>
        [.. CalibrationSet.Points.Where(p => p.Source == TritonServingV014Figures.Source)];

    [Fact]
    public void Every_cell_is_a_held_out_served_tensorrt_engine_of_v014_at_its_rate()
    {
        var rows = Rows();
        // 2 models × 2 GPUs × 3 length pairs × 6 loads, each with TTFT, ITL and output tok/s.
        Assert.Equal(216, rows.Count);
        Assert.All(rows, p =>
        {
            Assert.True(p.HeldOut);
            var e = p.Options.Engine;
            Assert.True(e.TensorRtEngine);
            Assert.Equal("0.14.0", e.Release?.ToString());
            // trtllm-build's limits served as they are, context unchunked: no trtllm-bench sizing.
            Assert.Equal((2048, 8192, false), (e.MaxNumSeqs, e.MaxNumBatchedTokens, e.EnableChunkedPrefill));
            Assert.Equal(500, p.Options.Requests);
            Assert.Null(p.Options.Concurrency);
            Assert.Equal(MeasureWindow.All, p.Options.Measure);
        });
        // QPS is an open loop at that rate; INF sends the 500 at once.
        Assert.Equal([2.0, 4, 8, 16, 32, double.PositiveInfinity], rows.Select(p => p.Options.RequestRate!.Value).Distinct().Order());
        Assert.Contains(rows, p => p.Command.Contains("--request-rate 16 --requests 500", StringComparison.Ordinal));
        Assert.Equal(36, rows.Count(p => p.Command.EndsWith("--request-rate inf --requests 500", StringComparison.Ordinal)));
        // 467/256 and 467/16 are fixed lengths; 202/214 a dataset's means, drawn with the ShareGPT spread.
        Assert.All(rows.Where(p => p.Setup.Contains("dataset", StringComparison.Ordinal)), p => Assert.Contains("--workload sharegpt:202:214", p.Command, StringComparison.Ordinal));
        Assert.Equal(144, rows.Count(p => p.Options.Workload is null));
    }

    [Fact]
    public void A_saturated_rate_is_the_one_whose_ttft_and_itl_follow_the_queue()
    {
        // 70B on four H100 finishes 16 requests a second at INF: 16 and 32 QPS queue, 8 does not.
        var rows = Rows().Where(p => p.Setup.StartsWith("Llama-3.1-70B H100 TP4 BF16, 467/256", StringComparison.Ordinal)).ToList();
        Assert.All(rows.Where(p => p.Options.RequestRate is >= 16 and < double.PositiveInfinity && p.Metric != CalibrationMetric.OutputTokensPerSecond),
            p => Assert.Equal(TritonServingV014Figures.Saturated, p.Caveat));
        Assert.All(rows.Where(p => p.Options.RequestRate is 8 && p.Metric == CalibrationMetric.ItlMeanMs), p => Assert.Null(p.Caveat));
        // At INF its 500 streams' ITL carries the front end's per-stream costs (shown, not held); the burst's TTFT holds.
        Assert.Equal(TritonServingV014Figures.AllStreams, rows.Single(p => p.Options.RequestRate is double.PositiveInfinity && p.Metric == CalibrationMetric.ItlMeanMs).Caveat);
        Assert.True(rows.Single(p => p.Options.RequestRate is double.PositiveInfinity && p.Metric == CalibrationMetric.TtftMeanMs).Checked);
        // The 8B 16-token run completes 79 requests a second at INF: 32 QPS does not saturate it.
        var small = Rows().Single(p => p.Setup == "Llama-3.1-8B H100 TP1 BF16, 467/16, 500 requests at 32 QPS" && p.Metric == CalibrationMetric.TtftMeanMs);
        Assert.True(small.Checked);
    }

    [Fact]
    public void Figures_without_a_caveat_hold_to_the_tolerance_and_the_burst_ttft_is_the_queue_of_500()
    {
        var held = Rows().Where(p => p.Checked).ToList();
        Assert.Equal(107, held.Count);
        Assert.All(held, p => Assert.InRange(p.Predicted(Estimator.Run(p.Options)) / p.Published - 1, -0.15, 0.15));
        // INF: 500 requests of 467 tokens at once take the 70B's TTFT to ~9 s, as published (9,123 ms).
        var burst = Assert.Single(held, p => p.Setup == "Llama-3.1-70B H100 TP4 BF16, 467/256, 500 requests at once" && p.Metric == CalibrationMetric.TtftMeanMs);
        Assert.InRange(burst.Predicted(Estimator.Run(burst.Options)), 8000, 10500);
    }
}
