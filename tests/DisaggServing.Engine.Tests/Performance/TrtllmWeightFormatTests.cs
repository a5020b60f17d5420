using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Tests.Performance;

/// <summary>TensorRT-LLM's FP8 kernels need SM89 or newer and its NVFP4 ones Blackwell; vLLM runs both weight-only below that.</summary>
public class TrtllmWeightFormatTests
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
    public void Trtllm_refuses_an_fp8_kv_cache_on_a100_and_keeps_bf16_by_default_there()
    {
        var error = Assert.Throws<InputException>(() => Spec(ServingEngine.Trtllm, GpuCatalog.A100_80G, DType.Bf16, DType.Fp8).Validate());
        Assert.Contains("--kv-cache-dtype bf16", error.Message, StringComparison.Ordinal);
        Assert.Equal(DType.Bf16, Spec(ServingEngine.Trtllm, GpuCatalog.A100_80G, DType.Bf16).Validate().EffectiveKvDtype);
        Spec(ServingEngine.Vllm, GpuCatalog.A100_80G, DType.Bf16, DType.Fp8).Validate();
    }
}
