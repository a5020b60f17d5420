using DisaggServing.Engine.Calibration;
using DisaggServing.Engine.Catalog;

namespace DisaggServing.Engine.Tests.Calibration;

// TensorRT-LLM v0.8.0's static-batch tables (gptSessionBenchmark): H200 and H100 FP8, A100 FP16.
public class PerfOverviewV08FiguresTests
{
    private static readonly CalibrationPoint[] Rows = CalibrationSet.Points.Where(p => p.Source == PerfOverviewV08Figures.Source).ToArray();

    [Fact]
    public void Every_row_is_a_held_out_trtllm_static_batch_of_release_0_8_admitted_whole_and_prefilled_in_one_pass()
    {
        // Five models × four lengths × three GPUs of throughput but A100's last Falcon-180B row; five models × two prompts
        // × three GPUs of first-token latency.
        Assert.Equal(59, Rows.Count(p => p.Metric == CalibrationMetric.OutputTokensPerSecond));
        Assert.Equal(30, Rows.Count(p => p.Metric == CalibrationMetric.TtftMeanMs));
        SessionBenchmarkAssertions.AssertStaticBatches(Rows);
        Assert.All(Rows, p =>
        {
            Assert.True(p.HeldOut);
            Assert.Equal("0.8.0", p.Options.Engine.Release?.ToString());
            Assert.Contains(" --engine-version 0.8.0 ", p.Command, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void The_methodology_turns_xqa_on_for_llama_2_70b_and_falcon_180b_only()
    {
        Assert.All(Rows, p =>
        {
            var id = p.Options.Engine.Model.Id;
            Assert.Equal(id is "meta-llama/Llama-2-70b-hf" or "tiiuae/falcon-180B" ? true : null, p.Options.Engine.Xqa);
        });
    }

    [Fact]
    public void The_first_token_rows_run_the_large_models_at_tp8_and_the_throughput_rows_at_the_tables_tp()
    {
        Assert.All(Rows.Where(p => p.Metric == CalibrationMetric.TtftMeanMs && p.Setup.Split(" ")[0] is "Llama-2-70B" or "Falcon-180B"),
            p => Assert.Equal(8, p.Options.Engine.TensorParallel));
        var row = Assert.Single(Rows, p => p.Setup.StartsWith("Llama-2-70B H200 TP1 FP8, static batch 512 × 128/128", StringComparison.Ordinal));
        Assert.Equal(3844, row.Published);
        // Throughput is per GPU in the tables, compared × TP.
        var tp4 = Assert.Single(Rows, p => p.Setup.StartsWith("Llama-2-70B H100 TP4 FP8, static batch 512 × 128/2048", StringComparison.Ordinal));
        Assert.Equal(2718 * 4, tp4.Published);
        Assert.Equal(GpuCatalog.H100Sxm, tp4.Options.Engine.Gpu);
    }
}
