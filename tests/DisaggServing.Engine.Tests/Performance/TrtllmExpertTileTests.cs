using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Tests.Performance;

public class TrtllmExpertTileTests
{
    private static readonly EngineSpec Mixtral = new()
    {
        Model = ModelCatalog.Mixtral8x7B, Gpu = GpuCatalog.H100Sxm, TensorParallel = 2, WeightDtype = DType.Bf16, Engine = EngineProfiles.Trtllm,
    };

    private static readonly EngineProfile FixedTile = EngineProfiles.Trtllm with { AmpereExpertTileMinRows = 0, HopperExpertTileMinRows = 0 };

    private static StepCost Cost(EngineSpec spec, int sequences)
    {
        var batch = new BatchShape();
        for (var i = 0; i < sequences; i++) batch.Add(1, 1000, isDecode: true);
        return new StepTimeModel(spec, EngineOverheads.None).Cost(batch);
    }

    [Fact]
    public void Trtllm_batch_one_mixtral_decode_on_hopper_is_bound_by_its_weight_reads()
    {
        // One token reaches two experts with a row each: the 16-token tile's math takes a fraction of the weights' read.
        var cost = Cost(Mixtral, 1);
        Assert.True(cost.ComputeSeconds < 0.5 * cost.MemorySeconds, $"compute {cost.ComputeSeconds * 1e3:F1} ms, weights {cost.MemorySeconds * 1e3:F1} ms");
    }

    [Fact]
    public void Trtllm_batch_one_mixtral_decode_on_a100_is_bound_by_its_weight_reads()
    {
        // Ampere's smallest MoE tile is 32 rows: padded to it, the two wide experts' math (at a dense GEMM's rate,
        // ExpertGemmWidth) takes a fraction of their weights' read.
        var a100 = Mixtral with { Gpu = GpuCatalog.A100_80G };
        var cost = Cost(a100, 1);
        Assert.True(cost.ComputeSeconds < 0.5 * cost.MemorySeconds, $"compute {cost.ComputeSeconds * 1e3:F1} ms, weights {cost.MemorySeconds * 1e3:F1} ms");
        // With the 128-row tile it was several times the read.
        var fixedTile = Cost(a100 with { Engine = FixedTile }, 1);
        Assert.InRange(cost.ComputeSeconds / fixedTile.ComputeSeconds, 0.2, 0.3);
    }

    [Fact]
    public void Trtllm_bf16_experts_take_the_smallest_tile_that_covers_their_rows()
    {
        // 64 sequences give each of the 8 experts 16 rows: the 16-token tile on Hopper, 32 on Ampere, against 128 fixed.
        foreach (var (gpu, tile) in new[] { (GpuCatalog.H100Sxm, 16.0), (GpuCatalog.A100_80G, 32.0) })
        {
            var spec = Mixtral with { Gpu = gpu };
            var shrunk = Cost(spec, 64).ComputeSeconds;
            var fixedTile = Cost(spec with { Engine = FixedTile }, 64).ComputeSeconds;
            // The routed work scales as the padded rows, max(tile, rows + tile ÷ 2) against 128; the dense GEMMs add a little.
            var padded = Math.Max(tile, 16 + tile / 2) / 128;
            Assert.InRange(shrunk / fixedTile, padded, padded + 0.1);
        }
    }

    [Fact]
    public void Trtllm_bf16_experts_given_hundreds_of_rows_each_keep_the_full_tile()
    {
        // 2,048 decoding sequences give each expert 512 rows: the 128-row tile either way.
        Assert.Equal(Cost(Mixtral with { Engine = FixedTile }, 2048).ComputeSeconds, Cost(Mixtral, 2048).ComputeSeconds, 12);
    }

    [Fact]
    public void Trtllm_fp8_experts_on_hopper_keep_the_tile_the_grouped_gemm_efficiency_was_fitted_with()
    {
        var fp8 = Mixtral with { WeightDtype = DType.Fp8 };
        Assert.Equal(Cost(fp8 with { Engine = FixedTile }, 1).ComputeSeconds, Cost(fp8, 1).ComputeSeconds, 12);
        Assert.Equal(0, EngineProfiles.Trtllm.ExpertTileMinRows(GpuCatalog.H200Sxm, DType.Fp8));
    }

    [Fact]
    public void Only_blackwell_tiles_lose_rate_below_the_full_tile()
    {
        // On Hopper a 16-token tile costs its padded rows at the grouped-GEMM efficiency, no more: the weights' read
        // that bounds it is the roofline's memory term. With Blackwell's t ÷ (t + 128) loss it would cost 4.5× more.
        Assert.True(EngineProfiles.Trtllm.ExpertTileHalfRows > 0);
        var cost = Cost(Mixtral, 1).ComputeSeconds;
        var lossless = Cost(Mixtral with { Engine = EngineProfiles.Trtllm with { ExpertTileHalfRows = 0 } }, 1).ComputeSeconds;
        Assert.Equal(lossless, cost, 12);
        Assert.Equal(EngineProfiles.Trtllm.BlackwellExpertTileMinRows, EngineProfiles.Trtllm.ExpertTileMinRows(GpuCatalog.B200, DType.Fp4));
    }

    [Fact]
    public void Trtllm_bf16_experts_on_blackwell_take_hoppers_tiles_without_the_block_scaled_kernels_loss()
    {
        // Blackwell's few-row loss was fitted on its block-scaled (FP4, FP8) MoE kernels; BF16 experts run the unscaled
        // grouped GEMM there as on Hopper.
        Assert.Equal(EngineProfiles.Trtllm.HopperExpertTileMinRows, EngineProfiles.Trtllm.ExpertTileMinRows(GpuCatalog.B200, DType.Bf16));
        Assert.Equal(EngineProfiles.Trtllm.BlackwellExpertTileMinRows, EngineProfiles.Trtllm.ExpertTileMinRows(GpuCatalog.B200, DType.Fp8));
        var b200 = Mixtral with { Gpu = GpuCatalog.B200 };
        var lossless = b200 with { Engine = EngineProfiles.Trtllm with { ExpertTileHalfRows = 0 } };
        foreach (var sequences in new[] { 1, 64 })
            Assert.Equal(Cost(lossless, sequences).ComputeSeconds, Cost(b200, sequences).ComputeSeconds, 12);
    }

    [Fact]
    public void Trtllm_decodes_bf16_experts_faster_on_b200_than_on_h200()
    {
        // B200 reads HBM 1.7x as fast and computes BF16 2.3x as fast as H200: a loaded decode step of the same model
        // cannot take longer on it.
        foreach (var sequences in new[] { 1, 16, 64, 256 })
        {
            var h200 = Cost(Mixtral with { Gpu = GpuCatalog.H200Sxm }, sequences);
            var b200 = Cost(Mixtral with { Gpu = GpuCatalog.B200 }, sequences);
            Assert.True(b200.TotalSeconds < h200.TotalSeconds, $"{sequences} sequences: B200 {b200.TotalSeconds * 1e3:F2} ms, H200 {h200.TotalSeconds * 1e3:F2} ms");
        }
    }

    [Theory]
    [InlineData(DType.Int8)]
    [InlineData(DType.Int4)]
    public void Trtllm_integer_experts_decode_a_lone_sequence_faster_than_bf16_ones(DType weights)
    {
        // Weight-only INT8/INT4 experts read a half or a quarter of BF16's bytes through a 16-row tile; a fixed 128-row
        // tile at one row an expert made them 1.5-3.3x slower than BF16 instead.
        foreach (var gpu in new[] { GpuCatalog.A100_80G, GpuCatalog.H100Sxm, GpuCatalog.B200 })
        {
            var bf16 = Cost(Mixtral with { Gpu = gpu }, 1).TotalSeconds;
            var integer = Cost(Mixtral with { Gpu = gpu, WeightDtype = weights }, 1).TotalSeconds;
            Assert.True(integer < 0.9 * bf16, $"{gpu.Id}: {weights} {integer * 1e3:F2} ms, BF16 {bf16 * 1e3:F2} ms");
            Assert.Equal(EngineProfiles.Trtllm.WeightOnlyExpertTileMinRows, EngineProfiles.Trtllm.ExpertTileMinRows(gpu, weights));
        }
    }

    [Fact]
    public void Trtllm_int4_experts_prefill_at_the_cost_of_bf16_ones()
    {
        // W4A16 widens the weights in registers and multiplies at BF16's rate in the same grouped GEMM: a 2,000-token
        // prompt's math costs what BF16's does (it cost three times as much at FP8's fitted efficiency without the rise).
        var batch = new BatchShape();
        batch.Add(2000, 0, isDecode: false);
        var bf16 = new StepTimeModel(Mixtral, EngineOverheads.None).Cost(batch).ComputeSeconds;
        var int4 = new StepTimeModel(Mixtral with { WeightDtype = DType.Int4 }, EngineOverheads.None).Cost(batch).ComputeSeconds;
        Assert.Equal(bf16, int4, 9);
    }

    [Fact]
    public void Vllm_and_sglang_keep_their_fused_moe_block_for_integer_experts()
    {
        foreach (var engine in new[] { EngineProfiles.Vllm, EngineProfiles.Sglang })
        {
            Assert.False(engine.WeightOnlyIntegerExperts(DType.Int4));
            Assert.Equal(DType.Int8, engine.ExpertGemmDtype(DType.Int8));
        }
    }
}
