using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Tests.Performance;

public class HopperFp8ExpertTests
{
    // Qwen3-235B in per-tensor FP8 on four H200 with attention DP and its experts whole on each rank (DEP4).
    private static readonly EngineSpec Dep4 = new()
    {
        Model = ModelCatalog.Qwen3_235B, Gpu = GpuCatalog.H200Sxm, TensorParallel = 4, ExpertParallel = 4, AttentionDataParallel = true,
        WeightDtype = DType.Fp8, Engine = EngineProfiles.Trtllm,
    };

    private static readonly EngineProfile Without = EngineProfiles.Trtllm with { HopperFp8ExpertTileMinRows = 0, HopperFp8ExpertWeightStream = 0 };

    private static StepCost Decode(EngineSpec spec, int sequences)
    {
        var batch = new BatchShape();
        for (var i = 0; i < sequences; i++) batch.Add(1, 2000, isDecode: true);
        return new StepTimeModel(spec, EngineOverheads.None).Cost(batch);
    }

    [Fact]
    public void Trtllm_fp8_experts_held_whole_behind_attention_dp_on_hopper_take_a_tile_that_follows_their_rows()
    {
        // 256 sequences give each of the 128 experts 16 rows: a 32-row tile (16 rows + half a tile) at 32 ÷ 160 of the
        // large tile's rate, against 128 rows at 128 ÷ 256 of it: 32 × 160 ÷ 32 against 128 × 256 ÷ 128, 0.625 of the
        // routed work; the dense GEMMs, unchanged, add a little.
        var followed = Decode(Dep4, 256).ComputeSeconds;
        var fixedTile = Decode(Dep4 with { Engine = Without }, 256).ComputeSeconds;
        Assert.InRange(followed / fixedTile, 0.62, 0.66);
    }

    [Fact]
    public void Trtllm_fp8_experts_held_whole_behind_attention_dp_on_hopper_stream_their_weights_at_half_the_hbm_peak()
    {
        // A one-sequence step reads the 8 experts it hits beside the attention weights: the experts' bytes cost
        // 0.875 ÷ 0.5 of a dense read's time, so the step's weight reads take longer, by less than that factor.
        var cost = Decode(Dep4, 1).MemorySeconds;
        var dense = Decode(Dep4 with { Engine = Without }, 1).MemorySeconds;
        Assert.InRange(cost / dense, 1.1, 1.75);
        // A stream at the GPU's own HBM efficiency reads them as dense weights are read.
        var atHbm = Dep4 with { Engine = EngineProfiles.Trtllm with { HopperFp8ExpertWeightStream = GpuCatalog.H200Sxm.HbmEfficiency } };
        Assert.Equal(dense, Decode(atHbm, 1).MemorySeconds, 12);
    }

    [Fact]
    public void Trtllm_fp8_experts_keep_the_128_row_tile_when_split_by_tp_block_scaled_or_on_blackwell()
    {
        EngineSpec[] untouched =
        [
            Dep4 with { AttentionDataParallel = false, ExpertParallel = 1 },
            Dep4 with { Model = ModelCatalog.Qwen3_235B with { BlockScaledFp8 = true } },
            Dep4 with { Gpu = GpuCatalog.B200 },
            Dep4 with { Engine = EngineProfiles.Vllm },
        ];
        foreach (var spec in untouched)
        {
            Assert.False(HopperFp8Experts.Applies(spec));
            var withOut = spec with { Engine = spec.Engine == EngineProfiles.Vllm ? spec.Engine : Without };
            Assert.Equal(Decode(withOut, 256).TotalSeconds, Decode(spec, 256).TotalSeconds, 12);
        }
        Assert.True(HopperFp8Experts.Applies(Dep4));
    }
}
