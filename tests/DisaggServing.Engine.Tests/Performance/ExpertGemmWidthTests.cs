using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Tests.Performance;

public class ExpertGemmWidthTests
{
    // The width law alone: without the rise with rows that TP-split FP8 experts also take (TpSplitFp8Experts).
    private static readonly EngineSpec Mixtral = new()
    {
        Model = ModelCatalog.Mixtral8x7B, Gpu = GpuCatalog.H100Sxm, TensorParallel = 1, WeightDtype = DType.Fp8,
        Engine = EngineProfiles.Trtllm with { TpSplitFp8ExpertHalfRows = 0 },
    };

    private static readonly BatchShape Prefill = BatchShape.Of(8192, 0, isDecode: false);

    private static double Compute(EngineSpec spec, BatchShape? batch = null) =>
        new StepTimeModel(spec, EngineOverheads.None).Cost(batch ?? Prefill).ComputeSeconds;

    private static EngineSpec Flat(EngineSpec spec) => spec with { Engine = spec.Engine with { ExpertGemmFollowsWidth = false } };

    private static double Speedup(EngineSpec spec, BatchShape? batch = null) => Compute(Flat(spec), batch) / Compute(spec, batch);

    [Fact]
    public void Coarse_fp8_experts_run_near_a_dense_gemm_rather_than_at_the_fitted_grouped_efficiency()
    {
        // Mixtral's 14,336-wide experts, whole at TP1, against Qwen3-235B's 1,536: the experts' share of the step shrinks
        // by about the dense over grouped rate (1 ÷ 0.29).
        Assert.True(Speedup(Mixtral) > 2.5);
    }

    [Fact]
    public void Splitting_a_wide_expert_over_more_ranks_gives_back_its_gain()
    {
        var tp4 = Speedup(Mixtral with { TensorParallel = 4 });
        var tp8 = Speedup(Mixtral with { TensorParallel = 8 });
        Assert.True(Speedup(Mixtral) > tp4 && tp4 > tp8 && tp8 > 1);
    }

    [Fact]
    public void Experts_no_wider_per_rank_than_the_fitted_ones_keep_the_fitted_efficiency()
    {
        var qwen = new EngineSpec
        {
            Model = ModelCatalog.Qwen3_235B, Gpu = GpuCatalog.H100Sxm, TensorParallel = 8, ExpertParallel = 8, AttentionDataParallel = true,
            WeightDtype = DType.Fp8, Engine = EngineProfiles.Trtllm,
        };
        var maverick = new EngineSpec
        {
            Model = ModelCatalog.Llama4Maverick, Gpu = GpuCatalog.H200Sxm, TensorParallel = 8, WeightDtype = DType.Fp8, Engine = EngineProfiles.Trtllm,
        };
        Assert.Equal(1, Speedup(qwen), 12);
        Assert.Equal(1, Speedup(maverick), 12);
    }

    [Fact]
    public void Experts_outside_the_cutlass_moe_gemm_do_not_follow_width()
    {
        // Blackwell runs TRTLLM-gen kernels; block-scaled FP8 its own GEMM runner.
        Assert.Equal(1, Speedup(Mixtral with { Gpu = GpuCatalog.B200 }), 12);
        var deepSeek = new EngineSpec
        {
            Model = ModelCatalog.DeepSeekV3, Gpu = GpuCatalog.H200Sxm, TensorParallel = 8, ExpertParallel = 8, AttentionDataParallel = true,
            WeightDtype = DType.Fp8, Engine = EngineProfiles.Trtllm,
        };
        Assert.Equal(1, Speedup(deepSeek), 12);
    }

    [Fact]
    public void A_wide_experts_gain_speeds_its_tiles_padding_too()
    {
        // 16 decode sequences give each of 8 experts 4 rows in a 128-row tile: the padding is most of the tile, and a
        // whole expert runs it at a dense GEMM's rate as it does its own rows.
        var decode = new BatchShape();
        for (var i = 0; i < 16; i++) decode.Add(1, 1000, isDecode: true);
        Assert.True(Speedup(Mixtral, decode) > 2.5);
    }

    [Fact]
    public void Padding_keeps_the_fitted_cost_where_a_small_tiles_own_loss_is_charged()
    {
        // Maverick's experts, whole under EP8 behind attention DP on Hopper, run as dense GEMMs for their rows; their small
        // decode tiles' padding keeps the rule fitted with it (HopperFp8Experts): 4 rows per expert in a 16-row tile.
        var maverick = new EngineSpec
        {
            Model = ModelCatalog.Llama4Maverick, Gpu = GpuCatalog.H200Sxm, TensorParallel = 8, ExpertParallel = 8, AttentionDataParallel = true,
            WeightDtype = DType.Fp8, Engine = EngineProfiles.Trtllm,
        };
        var decode = new BatchShape();
        for (var i = 0; i < 64; i++) decode.Add(1, 1000, isDecode: true);
        Assert.True(Speedup(maverick, decode) < 1.5);
    }

    [Fact]
    public void Bf16_experts_follow_width_on_ampere_and_hopper_up_to_a_dense_gemm_with_their_rise()
    {
        // The same grouped GEMM without scales: Mixtral's FP16 experts at TP2 (7,168 per rank) run as a dense GEMM, where
        // a decode step's few rows per expert leave their rise with rows short of it.
        var decode = new BatchShape();
        for (var i = 0; i < 16; i++) decode.Add(1, 1000, isDecode: true);
        foreach (var gpu in new[] { GpuCatalog.A100_80G, GpuCatalog.H100Sxm })
        {
            var bf16 = Mixtral with { Gpu = gpu, WeightDtype = DType.Bf16, TensorParallel = 2 };
            Assert.True(Speedup(bf16, decode) > 1.2);
            // An 8,192-token prefill gives each expert 2,048 rows: with the rise or without it, no faster than a dense GEMM.
            var noRise = bf16 with { Engine = bf16.Engine with { Bf16ExpertHalfRows = 0 } };
            Assert.Equal(Compute(noRise), Compute(bf16), 9);
        }
    }

    [Fact]
    public void The_gain_grows_with_width_and_stops_at_a_dense_gemm()
    {
        Assert.Equal(1, ExpertGemmWidth.Gain(1024, 3), 12);
        Assert.Equal(2, ExpertGemmWidth.Gain(3072, 3), 12);
        Assert.Equal(3, ExpertGemmWidth.Gain(14336, 3), 12);
    }

    [Fact]
    public void A_width_that_is_not_positive_is_refused()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ExpertGemmWidth.Gain(0, 3));
        Assert.Contains("positive width per rank", error.Message);
    }
}
