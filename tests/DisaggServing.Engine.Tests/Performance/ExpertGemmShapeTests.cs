using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Tests.Performance;

public class ExpertGemmShapeTests
{
    private static readonly EngineSpec Mixtral = new()
    {
        Model = ModelCatalog.Mixtral8x7B, Gpu = GpuCatalog.H100Sxm, TensorParallel = 2, WeightDtype = DType.Fp8, Engine = EngineProfiles.Trtllm,
    };

    private static readonly BatchShape Prefill = BatchShape.Of(8192, 0, isDecode: false);

    private static double Compute(EngineSpec spec) => new StepTimeModel(spec, EngineOverheads.None).Cost(Prefill).ComputeSeconds;

    private static EngineSpec Unshaped(EngineSpec spec) => spec with { Engine = spec.Engine with { ExpertPrologueK = 0 } };

    [Fact]
    public void Experts_with_a_long_reduction_per_rank_run_faster_than_the_fitted_shape()
    {
        // Mixtral's down projection reduces over 7,168 per rank at TP2 against Qwen3-235B's 1,536.
        Assert.True(Compute(Mixtral) < 0.97 * Compute(Unshaped(Mixtral)));
    }

    [Fact]
    public void Splitting_an_expert_over_more_ranks_shortens_its_reduction_and_gives_back_the_gain()
    {
        var tp8 = Mixtral with { TensorParallel = 8 };
        Assert.True(Compute(Mixtral) / Compute(Unshaped(Mixtral)) < Compute(tp8) / Compute(Unshaped(tp8)));
    }

    [Fact]
    public void The_fitted_shape_keeps_the_fitted_grouped_gemm_efficiency()
    {
        var qwen = new EngineSpec
        {
            Model = ModelCatalog.Qwen3_235B, Gpu = GpuCatalog.H100Sxm, TensorParallel = 8, ExpertParallel = 8, AttentionDataParallel = true,
            WeightDtype = DType.Fp8, Engine = EngineProfiles.Trtllm,
        };
        Assert.Equal(Compute(Unshaped(qwen)), Compute(qwen), 12);
    }

    [Fact]
    public void Without_expert_parallelism_a_narrow_expert_split_by_tp_costs_more()
    {
        var qwenTp = new EngineSpec
        {
            Model = ModelCatalog.Qwen3_235B, Gpu = GpuCatalog.H100Sxm, TensorParallel = 8, WeightDtype = DType.Fp8, Engine = EngineProfiles.Trtllm,
        };
        // 1,536 ÷ 8 = 192 per rank: three FP8 k-steps against the per-tile cost of four.
        Assert.True(Compute(qwenTp) > 1.1 * Compute(Unshaped(qwenTp)));
    }

    [Fact]
    public void A_gemm_shape_without_width_is_refused()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ExpertGemmShape.CostFactor(4096, 0, 512));
        Assert.Contains("width per rank", error.Message);
    }
}
