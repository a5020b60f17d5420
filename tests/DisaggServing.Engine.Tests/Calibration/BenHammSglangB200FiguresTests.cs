using DisaggServing.Engine.Calibration;
using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Tests.Calibration;

// Ben Hamm's SGLang 0.5.8.post1 sweep on 8 x B200: the summary table's one-client columns.
public class BenHammSglangB200FiguresTests
{
    private static readonly CalibrationPoint[] Rows = CalibrationSet.Points.Where(p => p.Source == BenHammSglangB200Figures.Source).ToArray();

    [Fact]
    public void Every_row_is_a_held_out_one_client_sglang_run_on_b200_with_bench_serving_uniform_lengths_at_eight_gpus_but_the_hybrids_own()
    {
        Assert.Equal(13, Rows.Length);
        Assert.All(Rows, p =>
        {
            Assert.True(p.HeldOut);
            Assert.Equal(ServingEngine.Sglang, p.Options.Engine.Engine.Engine);
            Assert.Equal(GpuCatalog.B200, p.Options.Engine.Gpu);
            // Qwen3-Coder-Next at TP2, Nemotron 3 Nano (a Nemotron-H stack, Nas beside Linear) at TP1 in its FP8.
            var model = p.Options.Engine.Model;
            Assert.Equal(model.Linear is null ? 8 : model.Nas is null ? 2 : 1, p.Options.Engine.TensorParallel);
            if (model.Nas is not null) Assert.Equal(DType.Fp8, p.Options.Engine.WeightDtype);
            Assert.Equal(1, p.Options.Concurrency);
            Assert.Contains(" --workload uniform:1-1024:1-1024 ", p.Command, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Kimi_k2_is_estimated_in_its_checkpoints_fp8_and_the_r1_fp4_run_keeps_only_its_tpot()
    {
        Assert.All(Rows.Where(p => p.Options.Engine.Model.Id == "moonshotai/Kimi-K2-Instruct"), p => Assert.Equal(DType.Fp8, p.Options.Engine.WeightDtype));
        var r1 = Assert.Single(Rows, p => p.Setup.StartsWith("DeepSeek-R1-0528-FP4", StringComparison.Ordinal));
        Assert.Equal(CalibrationMetric.ItlMeanMs, r1.Metric);
        Assert.Equal(DType.Fp4, r1.Options.Engine.WeightDtype);
    }
}
