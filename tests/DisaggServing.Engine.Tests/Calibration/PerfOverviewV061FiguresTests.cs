using DisaggServing.Engine.Calibration;
using DisaggServing.Engine.Catalog;

namespace DisaggServing.Engine.Tests.Calibration;

// TensorRT-LLM v0.6.1's peak-throughput tables (gptSessionBenchmark): H100 FP8, A100 FP16.
public class PerfOverviewV061FiguresTests
{
    private static readonly CalibrationPoint[] Rows = CalibrationSet.Points.Where(p => p.Source == PerfOverviewV061Figures.Source).ToArray();

    [Fact]
    public void Every_row_is_a_held_out_static_batch_of_release_0_6_1_throughput_only()
    {
        // Four models × four lengths on H100, and the A100 table but its Falcon-180B 2048 rows and the three batches of
        // 2,048-token prompts the memory plan cannot hold in one pass.
        Assert.Equal(26, Rows.Length);
        SessionBenchmarkAssertions.AssertStaticBatches(Rows);
        Assert.All(Rows, p =>
        {
            Assert.True(p.HeldOut);
            Assert.Equal(CalibrationMetric.OutputTokensPerSecond, p.Metric);
            Assert.Equal("0.6.1", p.Options.Engine.Release?.ToString());
            Assert.True(DisaggServing.Engine.Estimation.Estimator.Run(p.Options).Fits);
        });
    }

    [Fact]
    public void Before_xqa_llama_2_70b_decodes_through_the_masked_mha_kernel()
    {
        // The methodology exports no TRTLLM_ENABLE_XQA: the release's default, the masked MHA kernel, for every GQA model.
        Assert.All(Rows, p => Assert.Null(p.Options.Engine.Xqa));
        Assert.All(Rows.Where(p => p.Options.Engine.Model == ModelCatalog.Llama2_70B), p => Assert.True(p.Options.Engine.MaskedMhaDecodesGqa));
        var row = Assert.Single(Rows, p => p.Setup.StartsWith("Llama-2-70B H100 TP4 FP8, static batch 480 × 128/2048", StringComparison.Ordinal));
        Assert.Equal(1486 * 4, row.Published);
    }
}
