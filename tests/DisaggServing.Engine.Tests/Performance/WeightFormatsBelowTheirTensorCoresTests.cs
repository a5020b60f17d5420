using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Tests.Performance;

/// <summary>TensorRT-LLM's FP8 kernels need SM89 or newer, its MXFP4 MoE Hopper and its NVFP4 kernels Blackwell; vLLM runs such weights weight-only below that.</summary>
public class WeightFormatsBelowTheirTensorCoresTests
{
    private static EngineSpec Spec(ServingEngine engine, GpuSpec gpu, DType weights, DType? kv = null, bool nim = false) => new()
    {
        Model = ModelCatalog.Llama31_8B, Gpu = gpu, WeightDtype = weights, KvCacheDtype = kv, Engine = EngineProfiles.For(engine), Nim = nim,
    };

    [Fact]
    public void Trtllm_refuses_nvfp4_weights_without_blackwell_and_names_the_fix()
    {
        var error = Assert.Throws<InputException>(() => Spec(ServingEngine.Trtllm, GpuCatalog.H200Sxm, DType.Fp4).Validate());
        Assert.Contains("--dtype fp4 (NVFP4) runs on Blackwell only under trtllm", error.Message, StringComparison.Ordinal);
        Assert.Contains("--engine vllm", error.Message, StringComparison.Ordinal);
        Spec(ServingEngine.Trtllm, GpuCatalog.B200, DType.Fp4).Validate();
        Spec(ServingEngine.Vllm, GpuCatalog.H200Sxm, DType.Fp4).Validate();
    }

    [Fact]
    public void Trtllm_and_nim_refuse_fp8_weights_on_a100_where_vllm_and_sglang_serve_them_weight_only()
    {
        var error = Assert.Throws<InputException>(() => Spec(ServingEngine.Trtllm, GpuCatalog.A100_80G, DType.Fp8, nim: true).Validate());
        Assert.Contains("--dtype fp8 needs FP8 tensor cores under nim", error.Message, StringComparison.Ordinal);
        Spec(ServingEngine.Trtllm, GpuCatalog.H100Sxm, DType.Fp8).Validate();
        Spec(ServingEngine.Vllm, GpuCatalog.A100_80G, DType.Fp8).Validate();
        Spec(ServingEngine.Sglang, GpuCatalog.A100_80G, DType.Fp8).Validate();
    }

    [Fact]
    public void Trtllm_refuses_gpt_oss_mxfp4_experts_below_hopper_where_vllm_runs_them_through_marlin()
    {
        var gptOss = Spec(ServingEngine.Trtllm, GpuCatalog.A100_80G, DType.Mxfp4) with { Model = ModelCatalog.GptOss120B, TensorParallel = 2 };
        Assert.Contains("--dtype mxfp4 (gpt-oss's experts) runs on Hopper and Blackwell only under trtllm", Assert.Throws<InputException>(() => gptOss.Validate()).Message, StringComparison.Ordinal);
        (gptOss with { Gpu = GpuCatalog.H200Sxm }).Validate();
        (gptOss with { Engine = EngineProfiles.Vllm }).Validate();
    }

    [Fact]
    public void Trtllm_refuses_an_fp8_kv_cache_on_a100_and_keeps_bf16_by_default_there()
    {
        var error = Assert.Throws<InputException>(() => Spec(ServingEngine.Trtllm, GpuCatalog.A100_80G, DType.Bf16, DType.Fp8).Validate());
        Assert.Contains("--kv-cache-dtype bf16", error.Message, StringComparison.Ordinal);
        Assert.Equal(DType.Bf16, Spec(ServingEngine.Trtllm, GpuCatalog.A100_80G, DType.Bf16).Validate().EffectiveKvDtype);
        Spec(ServingEngine.Vllm, GpuCatalog.A100_80G, DType.Bf16, DType.Fp8).Validate();
    }

    [Fact]
    public void Vllm_multiplies_nvfp4_weights_on_hopper_at_bf16s_rate_and_streams_them_as_w4a16()
    {
        Assert.Equal(GpuCatalog.H200Sxm.Bf16Flops, GpuCatalog.H200Sxm.PeakFlops(DType.Fp4));
        Assert.Equal(GpuCatalog.B200.Fp4Flops, GpuCatalog.B200.PeakFlops(DType.Fp4));
        Assert.Equal(1 / W4A16Kernels.WeightStream(GpuCatalog.H200Sxm), W4A16Kernels.WeightReadScale(GpuCatalog.H200Sxm, DType.Fp4));
        Assert.Equal(1, W4A16Kernels.WeightReadScale(GpuCatalog.B200, DType.Fp4));
        // A single-stream decode then reads NVFP4's 4.5 bits a weight no faster than INT4's.
        var decode = new BatchShape();
        decode.Add(1, 1024, isDecode: true);
        var fp4 = new StepTimeModel(Spec(ServingEngine.Vllm, GpuCatalog.H200Sxm, DType.Fp4)).Cost(decode).MemorySeconds;
        var int4 = new StepTimeModel(Spec(ServingEngine.Vllm, GpuCatalog.H200Sxm, DType.Int4)).Cost(decode).MemorySeconds;
        Assert.InRange(fp4 / int4, 0.95, 1.15);
    }
}
