using DisaggServing.Engine.Calibration;
using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Tests.Calibration;

// The SGLang cookbook's GLM-4.6 and MiniMax-M2.5 pages and vLLM's GLM-5 recipe: held-out MoE serving figures, each run
// as its page launched and measured it.
public class MoeServingPagesTests
{
    private static CalibrationPoint[] From(string sourcePrefix) =>
        CalibrationSet.Points.Where(p => p.Source.StartsWith(sourcePrefix, StringComparison.Ordinal)).ToArray();

    [Fact]
    public void The_glm_4_6_page_runs_nine_bench_serving_scenarios_on_eight_b200s_in_bf16_under_its_sglang_release()
    {
        var rows = From("SGLang cookbook, GLM-4.6");
        Assert.Equal(27, rows.Length);
        Assert.All(rows, p =>
        {
            Assert.True(p.HeldOut);
            Assert.Equal(GpuCatalog.B200, p.Options.Engine.Gpu);
            Assert.Equal(8, p.Options.Engine.TensorParallel);
            Assert.Equal(1, p.Options.Engine.ExpertParallel);
            Assert.Equal(DType.Bf16, p.Options.Engine.WeightDtype);
            Assert.Contains("--engine sglang --engine-version 0.5.6 ", p.Command, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void The_minimax_m2_5_page_spreads_its_experts_over_eight_gpus_on_b200_and_h100_each_at_its_own_release()
    {
        var rows = From("SGLang cookbook, MiniMax-M2.5");
        Assert.Equal(27, rows.Length);
        Assert.All(rows, p =>
        {
            Assert.Equal((8, 8, DType.Fp8), (p.Options.Engine.TensorParallel, p.Options.Engine.ExpertParallel, p.Options.Engine.WeightDtype));
            Assert.Contains(" --ep 8 ", p.Command, StringComparison.Ordinal);
            Assert.Contains(p.Options.Engine.Gpu == GpuCatalog.B200 ? "--engine-version 0.5.8 " : "--engine-version 0.5.9 ", p.Command, StringComparison.Ordinal);
        });
        Assert.Equal(9, rows.Count(p => p.Options.Engine.Gpu == GpuCatalog.H100Sxm));
    }

    [Fact]
    public void The_qwen3_coder_next_page_runs_the_gated_deltanet_hybrid_on_two_b200s_every_figure_under_sglangs_hybrid_caveat()
    {
        var rows = From("SGLang cookbook, Qwen3-Coder-Next");
        Assert.Equal(27, rows.Length);
        Assert.All(rows, p =>
        {
            Assert.True(p.HeldOut);
            Assert.NotNull(p.Options.Engine.Model.Linear);
            Assert.Equal((GpuCatalog.B200, 2), (p.Options.Engine.Gpu, p.Options.Engine.TensorParallel));
            Assert.Contains("overlap scheduler", p.Caveat, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void A_loaded_run_whose_p99_ttft_rules_out_a_cold_first_wave_starts_with_the_previous_runs_prompts_cached()
    {
        // GLM-4.6's 64 clients of 8K-token prompts: P99 TTFT 859 ms, under the ~0.9 s its first wave would take even at
        // the B200s' datasheet rate; it ran after the 80-prompt run of 16 clients.
        var warm = From("SGLang cookbook, GLM-4.6").Where(p => p.Options.Concurrency == 64 && p.Setup.Contains("1-7961", StringComparison.Ordinal));
        Assert.All(warm, p => Assert.Equal(80, p.Options.WarmPrompts));
        Assert.All(From("SGLang cookbook, MiniMax-M2.5"), p => Assert.Equal(1, p.Options.WarmPrompts));
    }

    [Fact]
    public void The_glm_5_recipe_runs_vllm_0_19_with_mtp_at_its_acceptance_length_open_loop_and_its_tpot_lands_within_the_tolerance()
    {
        var rows = From("vLLM 0.19.0, vLLM recipes");
        Assert.Equal(3, rows.Length);
        Assert.All(rows, p =>
        {
            Assert.True(p.HeldOut);
            Assert.Equal(new SpeculativeDecoding(SpeculativeMethod.Mtp, 3, 1.64), p.Options.Engine.Speculative);
            Assert.Equal(10, p.Options.RequestRate);
            Assert.Contains("--engine vllm --engine-version 0.19.0 ", p.Command, StringComparison.Ordinal);
        });
        var tpot = Assert.Single(rows, p => p.Metric == CalibrationMetric.ItlMeanMs);
        Assert.Null(tpot.Caveat);
        var result = DisaggServing.Engine.Estimation.Estimator.Run(tpot.Options);
        Assert.InRange(result.ItlMeanMs!.Value / tpot.Published, 0.85, 1.15);
    }
}
