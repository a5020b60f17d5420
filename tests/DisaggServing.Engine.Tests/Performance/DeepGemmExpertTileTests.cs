using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Tests.Performance;

public class DeepGemmExpertTileTests
{
    private static readonly EngineSpec DeepSeekH200 = new()
    {
        Model = ModelCatalog.Get("deepseek-ai/DeepSeek-R1-0528"), Gpu = GpuCatalog.H200Sxm, TensorParallel = 8, ExpertParallel = 8,
        WeightDtype = DType.Fp8, Engine = EngineProfiles.Trtllm,
    };

    private static readonly EngineProfile AlwaysFull = EngineProfiles.Trtllm with { BlockFp8SwapAbRows = 0 };

    private static double Compute(EngineSpec spec, in BatchShape batch) => new StepTimeModel(spec, EngineOverheads.None).Cost(batch).ComputeSeconds;

    private static BatchShape Decodes(int sequences)
    {
        var shape = new BatchShape();
        for (var i = 0; i < sequences; i++) shape.Add(1, 1000, isDecode: true);
        return shape;
    }

    [Theory]
    [InlineData(1, 1, 16)]     // swapped: one token's row in the smallest token block
    [InlineData(16, 23, 24)]   // swapped: the rows rounded up to a block of 8
    [InlineData(31.9, 31, 32)]
    [InlineData(32, 32, 64)]   // from 32 expected rows the tokens are M, in 64-row blocks up to 64
    [InlineData(64, 70, 64)]
    [InlineData(65, 65, 128)]
    public void The_runner_swaps_operands_below_32_expected_rows_and_takes_64_or_128_row_blocks_above(double expected, double rows, double tile) =>
        Assert.Equal(tile, DeepGemmExpertTiles.TokenTile(expected, rows, 32));

    [Fact]
    public void Expected_rows_count_every_token_the_rank_sees_over_its_own_experts()
    {
        // 64 decodes at TP8 EP8: 64 × 8 expanded rows over 32 local experts.
        Assert.Equal(16, DeepGemmExpertTiles.ExpectedRows(64, 8, 256, 8));
        // Without expert parallelism every rank holds a slice of all 256.
        Assert.Equal(2, DeepGemmExpertTiles.ExpectedRows(64, 8, 256, 1));
    }

    [Fact]
    public void A_decode_batch_on_hopper_pays_small_swapped_tiles_not_128_row_ones()
    {
        // 64 decodes put ~2 rows on each expert hit: a 16-token block against a 128-row tile.
        var small = Decodes(64);
        Assert.True(Compute(DeepSeekH200, small) < 0.3 * Compute(DeepSeekH200 with { Engine = AlwaysFull }, small));
        // A 4,096-token prefill chunk gives each expert 128 rows on average (1,024 expected per local expert): full tiles either way.
        var large = BatchShape.Of(4096, 0, isDecode: false);
        Assert.Equal(Compute(DeepSeekH200 with { Engine = AlwaysFull }, large), Compute(DeepSeekH200, large), 12);
    }

    [Fact]
    public void Only_tensorrt_llms_block_fp8_experts_on_hopper_take_the_rule()
    {
        Assert.True(DeepGemmExpertTiles.Applies(DeepSeekH200));
        Assert.False(DeepGemmExpertTiles.Applies(DeepSeekH200 with { Engine = EngineProfiles.Vllm }));
        Assert.False(DeepGemmExpertTiles.Applies(DeepSeekH200 with { Gpu = GpuCatalog.B200 }));
        // Per-tensor FP8 checkpoints run the CUTLASS MoE GEMM instead.
        Assert.False(DeepGemmExpertTiles.Applies(DeepSeekH200 with { Model = ModelCatalog.Get("nvidia/Qwen3-235B-A22B-FP8"), ExpertParallel = 8 }));
    }
}
