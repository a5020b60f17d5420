using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Tests.Performance;

public class TrtllmBf16ExpertRiseTests
{
    private static readonly EngineSpec Mixtral = new()
    {
        Model = ModelCatalog.Mixtral8x7B, Gpu = GpuCatalog.H100Sxm, TensorParallel = 2, WeightDtype = DType.Bf16, Engine = EngineProfiles.Trtllm,
    };

    private static double Compute(EngineSpec spec, BatchShape batch) => new StepTimeModel(spec, EngineOverheads.None).Cost(batch).ComputeSeconds;

    [Fact]
    public void Trtllm_bf16_experts_given_thousands_of_rows_each_run_near_a_dense_gemm()
    {
        // The rise alone: Mixtral's width per rank would take its experts to a dense GEMM's rate with it or without it.
        var rising = Mixtral with { Engine = EngineProfiles.Trtllm with { ExpertGemmFollowsWidth = false } };
        var flat = rising with { Engine = rising.Engine with { Bf16ExpertHalfRows = 0 } };
        // An 8,192-token prefill gives each of Mixtral's 8 experts about 2,048 rows: nearly all the way to a dense GEMM
        // (2,048 ÷ 2,176 of it, half-way at 128 rows).
        var prefill = BatchShape.Of(8192, 0, isDecode: false);
        Assert.True(Compute(rising, prefill) < 0.6 * Compute(flat, prefill));
        // A step of a few tokens gives each expert a row or two: the fitted grouped-GEMM efficiency, within a few percent
        // (half-way to a dense GEMM at 128 rows).
        var few = BatchShape.Of(4, 0, isDecode: false);
        Assert.InRange(Compute(rising, few) / Compute(flat, few), 0.97, 1.0);
    }

    [Fact]
    public void Trtllm_fp8_experts_do_not_follow_the_bf16_half_rows()
    {
        // Per-tensor FP8 experts split by TP rise by their own constant (TpSplitFp8Experts), not by BF16's.
        var fp8 = Mixtral with { WeightDtype = DType.Fp8 };
        var flat = fp8 with { Engine = EngineProfiles.Trtllm with { Bf16ExpertHalfRows = 0 } };
        var prefill = BatchShape.Of(8192, 0, isDecode: false);
        Assert.Equal(Compute(flat, prefill), Compute(fp8, prefill), 12);
    }
}
