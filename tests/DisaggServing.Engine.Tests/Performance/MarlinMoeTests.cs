using DisaggServing.Engine.Calibration;
using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Estimation;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Tests.Performance;

public class MarlinMoeTests
{
    private static EngineSpec Spec(ModelSpec model, GpuSpec gpu, DType weights, EngineProfile engine, bool? marlin = null) => new()
    {
        Model = model, Gpu = gpu, TensorParallel = 1, WeightDtype = weights, Engine = engine, MoeBackend = marlin == true ? MoeBackend.Marlin : null,
    };

    private static BatchShape Decodes(int sequences, int context)
    {
        var shape = new BatchShape();
        for (var i = 0; i < sequences; i++) shape.Add(1, context, isDecode: true);
        return shape;
    }

    [Fact]
    public void Marlin_pads_each_expert_to_the_first_block_of_8_to_64_rows_that_its_mean_rows_fill_to_less_than_nine_tenths()
    {
        // 4 decodes over 128 experts top-4: an eighth of a row each, the 8-row block.
        Assert.Equal(8, Mxfp4MoeKernels.MarlinBlockRows(4, 128, 4));
        // 7 rows fill 8 to 0.875: still 8; 7.25 rows fill it past 0.9, so 16.
        Assert.Equal(8, Mxfp4MoeKernels.MarlinBlockRows(224, 128, 4));
        Assert.Equal(16, Mxfp4MoeKernels.MarlinBlockRows(232, 128, 4));
        Assert.Equal(48, Mxfp4MoeKernels.MarlinBlockRows(1024, 128, 4));
        // Beyond 57.6 rows every block is filled: the largest, 64 (an 8,192-token prefill over gpt-oss-20b's 32 experts).
        Assert.Equal(64, Mxfp4MoeKernels.MarlinBlockRows(8192, 32, 4));
    }

    [Fact]
    public void Vllm_serves_mxfp4_experts_through_marlin_on_a100_and_on_hopper_only_when_asked()
    {
        var oss = ModelCatalog.GptOss120B;
        Assert.True(Spec(oss, GpuCatalog.A100_80G, DType.Mxfp4, EngineProfiles.Vllm).EffectiveMarlinMoe);
        Assert.False(Spec(oss, GpuCatalog.H100Sxm, DType.Mxfp4, EngineProfiles.Vllm).EffectiveMarlinMoe);
        Assert.True(Spec(oss, GpuCatalog.H100Sxm, DType.Mxfp4, EngineProfiles.Vllm, marlin: true).EffectiveMarlinMoe);
        // Blackwell multiplies MXFP4 natively, and TensorRT-LLM keeps its own kernels on A100.
        Assert.False(Spec(oss, GpuCatalog.B200, DType.Mxfp4, EngineProfiles.Vllm).EffectiveMarlinMoe);
        Assert.False(Spec(oss, GpuCatalog.A100_80G, DType.Mxfp4, EngineProfiles.Trtllm).EffectiveMarlinMoe);
    }

    [Fact]
    public void Marlin_on_hopper_prefills_mxfp4_experts_slower_than_matmul_ogs_because_it_does_not_rise_with_rows()
    {
        var gpu = GpuCatalog.H100Sxm;
        var oss = ModelCatalog.GptOss20B;
        var triton = new StepTimeModel(Spec(oss, gpu, DType.Mxfp4, EngineProfiles.Vllm), EngineOverheads.None);
        var marlin = new StepTimeModel(Spec(oss, gpu, DType.Mxfp4, EngineProfiles.Vllm, marlin: true), EngineOverheads.None);
        // 8,192 prompt tokens give each of 32 experts 1,024 rows, where matmul_ogs is half-way to a dense GEMM.
        var prefill = BatchShape.Of(8192, 0, isDecode: false);
        Assert.InRange(marlin.Cost(prefill).ComputeSeconds / triton.Cost(prefill).ComputeSeconds, 1.5, 2.1);
        // A small decode batch pads to Marlin's 8-row block, half matmul_ogs' 16: less math.
        var decode = Decodes(8, 2048);
        Assert.True(marlin.Cost(decode).ComputeSeconds < triton.Cost(decode).ComputeSeconds);
    }

    [Fact]
    public void Marlin_prefills_faster_on_a100_than_its_hopper_share_of_the_peak_because_mma_sync_is_the_a100_peak()
    {
        var oss = ModelCatalog.GptOss120B;
        var a100 = new StepTimeModel(Spec(oss, GpuCatalog.A100_80G, DType.Mxfp4, EngineProfiles.Vllm), EngineOverheads.None);
        // The same step as if Marlin kept Hopper's share of the peak (mma.sync two thirds of it) on A100.
        var asOnHopper = new StepTimeModel(Spec(oss, GpuCatalog.A100_80G with { MmaSyncShare = Mxfp4MoeKernels.MarlinHeldMmaSyncShare }, DType.Mxfp4, EngineProfiles.Vllm), EngineOverheads.None);
        // A 4,096-token prefill chunk: 128 rows per expert, Marlin's 64-row block, bound by its MMAs.
        var prefill = BatchShape.Of(4096, 0, isDecode: false);
        Assert.Equal(64, Mxfp4MoeKernels.MarlinBlockRows(4096, 128, 4));
        Assert.InRange(asOnHopper.Cost(prefill).ComputeSeconds / a100.Cost(prefill).ComputeSeconds, 1.3, 1.5);
        // A decode step's 8-row block is bound by the dequantize, not the MMA: no gain.
        var decode = Decodes(4, 1024);
        Assert.Equal(asOnHopper.Cost(decode).ComputeSeconds, a100.Cost(decode).ComputeSeconds, 9);
    }

    [Fact]
    public void A_marlin_block_of_16_rows_costs_what_a_block_of_8_does_because_both_unpack_the_same_weights_once()
    {
        // One 16-row MMA tile either way: a dequantize-bound block's time is its weights', not its rows'.
        Assert.Equal(Mxfp4MoeKernels.MarlinCostedRows(8, 3.0), Mxfp4MoeKernels.MarlinCostedRows(16, 7.5), 12);
        // An expert with more rows than one block holds takes more blocks, each at that cost.
        Assert.True(Mxfp4MoeKernels.MarlinCostedRows(16, 14) > Mxfp4MoeKernels.MarlinCostedRows(16, 7.5));
        // The MMA-bound blocks keep their rows.
        Assert.Equal(64, Mxfp4MoeKernels.MarlinCostedRows(64, 30), 12);

        // Through the model: a 240-token prefill (7.5 rows per expert, one 16-row block each) costs no more than a
        // 224-token one (7 rows in 8-row blocks, some experts taking two), where 16-row blocks at their rows would cost 1.4×.
        var oss = ModelCatalog.GptOss120B;
        var a100 = new StepTimeModel(Spec(oss, GpuCatalog.A100_80G, DType.Mxfp4, EngineProfiles.Vllm), EngineOverheads.None);
        Assert.Equal(16, Mxfp4MoeKernels.MarlinBlockRows(240, 128, 4));
        var ratio = a100.Cost(BatchShape.Of(240, 0, isDecode: false)).ComputeSeconds / a100.Cost(BatchShape.Of(224, 0, isDecode: false)).ComputeSeconds;
        Assert.InRange(ratio, 0.7, 1.05);
    }

    [Fact]
    public void Split_by_tp_marlins_mma_bound_blocks_pay_their_pipeline_fill_over_a_shorter_down_projection()
    {
        var oss = ModelCatalog.GptOss120B;
        var width = oss.Moe!.ExpertFfn;
        // Whole experts keep the held cost; gpt-oss-120b's 2,880-wide experts split eight ways leave 360 columns a rank:
        // gate/up (two thirds of the FLOPs, K = 2,880) at 3,072 ÷ 2,880 of a fill-free GEMM, down at 552 ÷ 360.
        Assert.Equal(1.0, Mxfp4MoeKernels.MarlinShapeFactor(oss.Hidden, width, width), 12);
        var whole = 2.0 / 3 * 3072 / 2880 + 1.0 / 3 * 3072 / 2880;
        Assert.Equal((2.0 / 3 * 3072 / 2880 + 1.0 / 3 * 552 / 360) / whole, Mxfp4MoeKernels.MarlinShapeFactor(oss.Hidden, width, width / 8.0), 12);
        Assert.True(Mxfp4MoeKernels.MarlinShapeFactor(oss.Hidden, width, width / 4.0) < Mxfp4MoeKernels.MarlinShapeFactor(oss.Hidden, width, width / 8.0));

        // Through the model on H100: every GEMM of a step is split eight ways at TP8, so without the fill one rank's math
        // would be an eighth of one GPU's. A 4,096-token chunk (Marlin's 64-row blocks) pays the fill on its experts; a
        // 4-sequence decode step (8-row blocks, bound by unpacking every weight once) does not.
        EngineSpec OnH100(int tp) => new()
        {
            Model = oss, Gpu = GpuCatalog.H100Sxm, TensorParallel = tp, WeightDtype = DType.Mxfp4, Engine = EngineProfiles.Vllm, MoeBackend = MoeBackend.Marlin,
        };
        double RankMath(int tp, BatchShape batch) => new StepTimeModel(OnH100(tp), EngineOverheads.None).Cost(batch).ComputeSeconds;
        var prefill = BatchShape.Of(4096, 0, isDecode: false);
        Assert.InRange(8 * RankMath(8, prefill) / RankMath(1, prefill), 1.05, 1.15);
        var decode = Decodes(4, 1024);
        Assert.Equal(1.0, 8 * RankMath(8, decode) / RankMath(1, decode), 6);
    }

    [Fact]
    public void Marlin_on_hopper_keeps_the_efficiency_its_gpt_oss_figures_hold()
    {
        Assert.Equal(1.0, Mxfp4MoeKernels.MarlinRateScale(GpuCatalog.H100Sxm), 12);
        Assert.Equal(1.0, Mxfp4MoeKernels.MarlinRateScale(GpuCatalog.H200Sxm), 12);
        Assert.Equal(1.5, Mxfp4MoeKernels.MarlinRateScale(GpuCatalog.A100_80G), 12);
    }

    [Fact]
    public void Vllm_attends_with_sinks_more_slowly_on_a100_where_it_falls_back_to_triton_attention()
    {
        var oss = ModelCatalog.GptOss120B;
        var noSinks = oss with { AttentionSinks = false };
        // A 4,096-token chunk late in a 32K prompt: attention is most of its work.
        var chunk = BatchShape.Of(4096, 28000, isDecode: false);
        var a100 = new StepTimeModel(Spec(oss, GpuCatalog.A100_80G, DType.Mxfp4, EngineProfiles.Vllm), EngineOverheads.None).Cost(chunk);
        var a100NoSinks = new StepTimeModel(Spec(noSinks, GpuCatalog.A100_80G, DType.Mxfp4, EngineProfiles.Vllm), EngineOverheads.None).Cost(chunk);
        Assert.Equal(1 / EngineProfiles.Vllm.SinkAttentionScaleBeforeHopper, a100.AttentionComputeSeconds / a100NoSinks.AttentionComputeSeconds, 9);
        Assert.True(EngineProfiles.Vllm.SinkAttentionScaleBeforeHopper < 1);
        // Hopper runs sinks in FlashAttention 3, and other engines keep their kernels on A100.
        var h100 = new StepTimeModel(Spec(oss, GpuCatalog.H100Sxm, DType.Mxfp4, EngineProfiles.Vllm), EngineOverheads.None).Cost(chunk);
        var h100NoSinks = new StepTimeModel(Spec(noSinks, GpuCatalog.H100Sxm, DType.Mxfp4, EngineProfiles.Vllm), EngineOverheads.None).Cost(chunk);
        Assert.Equal(h100NoSinks.AttentionComputeSeconds, h100.AttentionComputeSeconds, 12);
        var sglang = new StepTimeModel(Spec(oss, GpuCatalog.A100_80G, DType.Mxfp4, EngineProfiles.Sglang), EngineOverheads.None).Cost(chunk);
        var sglangNoSinks = new StepTimeModel(Spec(noSinks, GpuCatalog.A100_80G, DType.Mxfp4, EngineProfiles.Sglang), EngineOverheads.None).Cost(chunk);
        Assert.Equal(sglangNoSinks.AttentionComputeSeconds, sglang.AttentionComputeSeconds, 12);
    }

    [Fact]
    public void Asking_for_marlin_on_experts_that_are_not_mxfp4_is_refused_naming_the_flag()
    {
        var bf16 = Spec(ModelCatalog.Get("Qwen/Qwen3-235B-A22B-Instruct-2507"), GpuCatalog.H100Sxm, DType.Bf16, EngineProfiles.Vllm, marlin: true);
        var error = Assert.Throws<InputException>(() => bf16.Validate());
        Assert.Contains("--moe-backend marlin", error.Message);
        Assert.Contains("mxfp4", error.Message);
        var blackwell = Spec(ModelCatalog.GptOss120B, GpuCatalog.B200, DType.Mxfp4, EngineProfiles.Vllm, marlin: true);
        Assert.Contains("b200", Assert.Throws<InputException>(() => blackwell.Validate()).Message);
    }

    [Fact]
    public void A_figure_served_through_marlin_on_hopper_prints_the_flag_that_reproduces_it()
    {
        var engine = Spec(ModelCatalog.GptOss20B, GpuCatalog.H100Sxm, DType.Mxfp4, EngineProfiles.Vllm, marlin: true)
            with { MaxNumSeqs = EngineProfiles.Vllm.DefaultMaxNumSeqs(GpuCatalog.H100Sxm), MaxNumBatchedTokens = EngineProfiles.Vllm.DefaultMaxNumBatchedTokens(GpuCatalog.H100Sxm) };
        var command = EstimateCommandLine.Format(new EstimateOptions { Engine = engine, InputTokens = 2000, OutputTokens = 100, Requests = 500 });
        Assert.Contains("--moe-backend marlin", command);
        var auto = EstimateCommandLine.Format(new EstimateOptions { Engine = engine with { MoeBackend = null }, InputTokens = 2000, OutputTokens = 100, Requests = 500 });
        Assert.DoesNotContain("--moe-backend", auto);
    }
}
