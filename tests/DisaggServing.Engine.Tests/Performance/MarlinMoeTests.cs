using DisaggServing.Engine.Calibration;
using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Estimation;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Tests.Performance;

public class MarlinMoeTests
{
    private static EngineSpec Spec(ModelSpec model, GpuSpec gpu, DType weights, EngineProfile engine, bool? marlin = null) => new()
    {
        Model = model, Gpu = gpu, TensorParallel = 1, WeightDtype = weights, Engine = engine, MarlinMoe = marlin,
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
        var auto = EstimateCommandLine.Format(new EstimateOptions { Engine = engine with { MarlinMoe = null }, InputTokens = 2000, OutputTokens = 100, Requests = 500 });
        Assert.DoesNotContain("--moe-backend", auto);
    }
}
