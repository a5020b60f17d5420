using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Tests.Performance;

// TensorRT-LLM's per-tensor FP8 experts split by TP alone on Hopper run BF16's SM90 grouped GEMM and rise with rows as it does.
public class TpSplitFp8ExpertTests
{
    // Mixtral-8x7B FP8 on eight H200, experts split by TP (the perf overview's engines).
    private static readonly EngineSpec MixtralTp8 = new()
    {
        Model = ModelCatalog.Mixtral8x7B, Gpu = GpuCatalog.H200Sxm, TensorParallel = 8, WeightDtype = DType.Fp8, Engine = EngineProfiles.Trtllm,
    };

    private static readonly EngineProfile Flat = EngineProfiles.Trtllm with { TpSplitFp8ExpertHalfRows = 0 };

    private static double Compute(EngineSpec spec, BatchShape batch) => new StepTimeModel(spec, EngineOverheads.None).Cost(batch).ComputeSeconds;

    [Fact]
    public void Fp8_experts_split_by_tp_given_thousands_of_rows_each_run_near_a_dense_gemm()
    {
        Assert.True(TpSplitFp8Experts.Applies(MixtralTp8));
        // An 8,192-token prefill gives each of the 8 experts about 2,048 rows, nearly all the way to a dense GEMM
        // (2,048 ÷ 2,176 of it, half-way at 128 rows).
        var prefill = BatchShape.Of(8192, 0, isDecode: false);
        Assert.True(Compute(MixtralTp8, prefill) < 0.6 * Compute(MixtralTp8 with { Engine = Flat }, prefill));
        // A step of a few tokens gives each expert a row or two: the grouped-GEMM efficiency, within a few percent (half-way
        // to a dense GEMM at 128 rows).
        var few = BatchShape.Of(4, 0, isDecode: false);
        Assert.InRange(Compute(MixtralTp8, few) / Compute(MixtralTp8 with { Engine = Flat }, few), 0.97, 1.0);
    }

    [Fact]
    public void Fp8_experts_held_whole_behind_attention_dp_keep_their_fitted_rule()
    {
        var dep8 = new EngineSpec
        {
            Model = ModelCatalog.Qwen3_235B, Gpu = GpuCatalog.H200Sxm, TensorParallel = 8, ExpertParallel = 8, AttentionDataParallel = true,
            WeightDtype = DType.Fp8, Engine = EngineProfiles.Trtllm,
        };
        Assert.False(TpSplitFp8Experts.Applies(dep8));
        var prefill = BatchShape.Of(8192, 0, isDecode: false);
        Assert.Equal(Compute(dep8 with { Engine = Flat }, prefill), Compute(dep8, prefill), 12);
    }

    [Fact]
    public void Block_scaled_fp8_experts_and_blackwell_do_not_take_the_rise()
    {
        Assert.False(TpSplitFp8Experts.Applies(MixtralTp8 with { Gpu = GpuCatalog.B200 }));
        Assert.False(TpSplitFp8Experts.Applies(MixtralTp8 with { Model = ModelCatalog.DeepSeekV3 }));
        Assert.False(TpSplitFp8Experts.Applies(MixtralTp8 with { WeightDtype = DType.Bf16 }));
        Assert.False(TpSplitFp8Experts.Applies(MixtralTp8 with { Engine = EngineProfiles.Vllm }));
    }
}
