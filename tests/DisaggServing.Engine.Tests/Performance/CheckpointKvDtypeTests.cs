using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Tests.Performance;

/// <summary>vLLM's and SGLang's --kv-cache-dtype auto take the KV format a ModelOpt checkpoint declares; other checkpoints keep BF16, TensorRT-LLM FP8.</summary>
public class CheckpointKvDtypeTests
{
    private static EngineSpec Spec(string model, EngineProfile engine, DType? kv = null)
    {
        var spec = ModelCatalog.Get(model);
        return new EngineSpec
        {
            Model = spec, Gpu = GpuCatalog.Get("h100-sxm"), TensorParallel = 4, WeightDtype = spec.CheckpointDtype ?? DType.Bf16,
            Engine = engine, KvCacheDtype = kv,
        };
    }

    [Theory]
    [InlineData("nvidia/Llama-3.3-70B-Instruct-FP8")]
    [InlineData("nvidia/Qwen3-235B-A22B-FP4")]
    [InlineData("nvidia/DeepSeek-R1-0528-NVFP4-v2")]
    public void Vllm_and_sglang_serve_a_modelopt_checkpoint_with_the_fp8_kv_it_declares(string model)
    {
        Assert.Equal(DType.Fp8, ModelCatalog.Get(model).CheckpointKvDtype);
        foreach (var engine in new[] { EngineProfiles.Vllm, EngineProfiles.Sglang })
        {
            Assert.Equal(DType.Fp8, Spec(model, engine).EffectiveKvDtype);
            // An explicit --kv-cache-dtype still wins over the checkpoint's.
            Assert.Equal(DType.Bf16, Spec(model, engine, DType.Bf16).EffectiveKvDtype);
        }
    }

    [Theory]
    [InlineData("RedHatAI/Llama-3.3-70B-Instruct-FP8-dynamic")]
    [InlineData("Qwen/Qwen3-235B-A22B-FP8")]
    [InlineData("deepseek-ai/DeepSeek-R1-0528")]
    [InlineData("meta-llama/Llama-3.3-70B-Instruct")]
    public void Vllm_and_sglang_keep_bf16_kv_for_checkpoints_that_declare_no_kv_format(string model)
    {
        Assert.Null(ModelCatalog.Get(model).CheckpointKvDtype);
        Assert.Equal(DType.Bf16, Spec(model, EngineProfiles.Vllm).EffectiveKvDtype);
        Assert.Equal(DType.Bf16, Spec(model, EngineProfiles.Sglang).EffectiveKvDtype);
    }

    [Fact]
    public void Trtllm_keeps_fp8_kv_with_fp8_weights_whatever_the_checkpoint_declares()
    {
        Assert.Equal(DType.Fp8, Spec("nvidia/Llama-3.3-70B-Instruct-FP8", EngineProfiles.Trtllm).EffectiveKvDtype);
        Assert.Equal(DType.Fp8, Spec("RedHatAI/Llama-3.3-70B-Instruct-FP8-dynamic", EngineProfiles.Trtllm).EffectiveKvDtype);
    }

    [Fact]
    public void The_declared_fp8_kv_holds_about_twice_the_tokens_of_bf16_kv_in_the_same_memory()
    {
        var fp8 = MemoryModel.Plan(Spec("nvidia/Llama-3.3-70B-Instruct-FP8", EngineProfiles.Vllm));
        var bf16 = MemoryModel.Plan(Spec("nvidia/Llama-3.3-70B-Instruct-FP8", EngineProfiles.Vllm, DType.Bf16));

        Assert.Equal(bf16.KvBytesPerToken / 2, fp8.KvBytesPerToken, 6);
        Assert.InRange((double)fp8.KvTokens / bf16.KvTokens, 1.95, 2.05);
    }
}
