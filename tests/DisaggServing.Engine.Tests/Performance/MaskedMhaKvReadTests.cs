using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Tests.Performance;

/// <summary>
/// TensorRT-LLM decodes an MHA model with its masked MHA kernel, which reads KV no faster than its fitted rate, and a GQA
/// model with XQA, or without it (0.9's default) through the same kernel, one block a query head.
/// </summary>
public class MaskedMhaKvReadTests
{
    private static BatchShape Decodes(int sequences, int context)
    {
        var shape = new BatchShape();
        for (var i = 0; i < sequences; i++) shape.Add(1, context, isDecode: true);
        return shape;
    }

    private static double KvSeconds(ModelSpec model, GpuSpec gpu, EngineProfile engine) =>
        new StepTimeModel(new EngineSpec { Model = model, Gpu = gpu, WeightDtype = DType.Fp8, KvCacheDtype = DType.Fp8, Engine = engine }, EngineOverheads.None)
            .Cost(Decodes(128, 1000)).KvSeconds;

    [Fact]
    public void An_mha_models_kv_read_on_h200_runs_at_the_kernels_rate_under_tensorrt_llm_only_on_hopper()
    {
        // GPT-J (16 KV heads of 16 query heads): H200's 4.8 TB/s would read its KV 43% faster than H100's 3.35; the
        // masked MHA kernel follows to 3.65 TB/s only (9% faster), while vLLM's attention follows the HBM.
        var h100 = KvSeconds(ModelCatalog.GptJ6B, GpuCatalog.H100Sxm, EngineProfiles.Trtllm);
        var h200 = KvSeconds(ModelCatalog.GptJ6B, GpuCatalog.H200Sxm, EngineProfiles.Trtllm);
        Assert.Equal(3.65 / 3.35, h100 / h200, 3);
        var vllmH100 = KvSeconds(ModelCatalog.GptJ6B, GpuCatalog.H100Sxm, EngineProfiles.Vllm);
        var vllmH200 = KvSeconds(ModelCatalog.GptJ6B, GpuCatalog.H200Sxm, EngineProfiles.Vllm);
        Assert.Equal(4.8 / 3.35, vllmH100 / vllmH200, 3);
        // On H100 the cap is above the HBM: no change; Blackwell's attention kernels are not the masked MHA kernel.
        Assert.Equal(vllmH100, h100, 9);
        Assert.Equal(KvSeconds(ModelCatalog.GptJ6B, GpuCatalog.B200, EngineProfiles.Vllm), KvSeconds(ModelCatalog.GptJ6B, GpuCatalog.B200, EngineProfiles.Trtllm), 9);
    }

    private static EngineSpec TensorRtEngine(ModelSpec model, GpuSpec gpu, DType kv, bool? xqa, string? release = null) => new()
    {
        Model = model, Gpu = gpu, WeightDtype = kv == DType.Fp8 ? DType.Fp8 : DType.Bf16, KvCacheDtype = kv, Engine = EngineProfiles.Trtllm,
        TensorRtEngine = true, Xqa = xqa, Release = release is null ? null : EngineRelease.Parse(release, "--engine-version"),
    };

    private static double KvSeconds(EngineSpec spec) => new StepTimeModel(spec, EngineOverheads.None).Cost(Decodes(64, 3000)).KvSeconds;

    [Fact]
    public void Tensorrt_llm_0_9_decodes_gqa_through_the_masked_mha_kernel_unless_xqa_is_turned_on_and_0_10_runs_xqa()
    {
        var mistral = ModelCatalog.Get("mistralai/Mistral-7B-v0.1");
        Assert.True(TensorRtEngine(mistral, GpuCatalog.H200Sxm, DType.Fp8, null, "0.9.0").MaskedMhaDecodesGqa);
        Assert.False(TensorRtEngine(ModelCatalog.Llama2_70B, GpuCatalog.H200Sxm, DType.Fp8, true, "0.9.0").MaskedMhaDecodesGqa);
        Assert.False(TensorRtEngine(mistral, GpuCatalog.H200Sxm, DType.Fp8, null, "0.10.0").MaskedMhaDecodesGqa);
        Assert.True(TensorRtEngine(mistral, GpuCatalog.H200Sxm, DType.Fp8, false).MaskedMhaDecodesGqa);
        Assert.False(TensorRtEngine(mistral, GpuCatalog.H200Sxm, DType.Fp8, null).MaskedMhaDecodesGqa);
        // An MHA model has no group to decode apart.
        Assert.False(TensorRtEngine(ModelCatalog.GptJ6B, GpuCatalog.H200Sxm, DType.Fp8, false).MaskedMhaDecodesGqa);
    }

    [Fact]
    public void The_experimental_xqa_before_0_10_serves_only_heads_of_128_in_groups_of_eight_and_the_masked_mha_kernel_the_rest()
    {
        // Its precompiled kernels are Llama-2-70B's shape (64 query heads of 128 over 8 KV heads); Mistral-7B's groups of
        // four and Falcon-180B's 29 heads of 64 a KV head fall back to the masked MHA kernel, TRTLLM_ENABLE_XQA=1 or not.
        Assert.Equal(8, ModelCatalog.Llama2_70B.Heads / ModelCatalog.Llama2_70B.KvHeads);
        Assert.False(TensorRtEngine(ModelCatalog.Llama2_70B, GpuCatalog.H100Sxm, DType.Fp8, true, "0.8.0").MaskedMhaDecodesGqa);
        Assert.True(TensorRtEngine(ModelCatalog.Falcon180B, GpuCatalog.H100Sxm, DType.Fp8, true, "0.8.0").MaskedMhaDecodesGqa);
        Assert.True(TensorRtEngine(ModelCatalog.Get("mistralai/Mistral-7B-v0.1"), GpuCatalog.H100Sxm, DType.Fp8, true, "0.9.0").MaskedMhaDecodesGqa);
        // From 0.10 XQA decodes every GQA shape.
        Assert.False(TensorRtEngine(ModelCatalog.Falcon180B, GpuCatalog.H100Sxm, DType.Fp8, null, "0.10.0").MaskedMhaDecodesGqa);
        // Falcon-180B's 2,048-token decode on two H200 runs slower that way, as v0.9's table published it.
        var falcon = KvSeconds(TensorRtEngine(ModelCatalog.Falcon180B, GpuCatalog.H200Sxm, DType.Fp8, true, "0.9.0"));
        var xqa = KvSeconds(TensorRtEngine(ModelCatalog.Falcon180B, GpuCatalog.H200Sxm, DType.Fp8, true, "0.10.0"));
        Assert.True(falcon > 2 * xqa, $"masked MHA {falcon} s, XQA {xqa} s");
    }

    [Fact]
    public void Without_xqa_a_gqa_models_fp8_cache_is_converted_once_a_query_head_at_one_rate_on_h100_and_h200()
    {
        var mistral = ModelCatalog.Get("mistralai/Mistral-7B-v0.1"); // 32 query heads over 8 KV heads
        foreach (var gpu in new[] { GpuCatalog.H100Sxm, GpuCatalog.H200Sxm })
        {
            var xqa = KvSeconds(TensorRtEngine(mistral, gpu, DType.Fp8, true));
            var masked = KvSeconds(TensorRtEngine(mistral, gpu, DType.Fp8, false));
            Assert.True(masked > 2 * xqa, $"{gpu.Name}: masked MHA {masked} s, XQA {xqa} s");
        }
        // The conversion is the SMs' work: the same on both GPUs, where XQA's read follows each one's HBM.
        Assert.Equal(KvSeconds(TensorRtEngine(mistral, GpuCatalog.H100Sxm, DType.Fp8, false)), KvSeconds(TensorRtEngine(mistral, GpuCatalog.H200Sxm, DType.Fp8, false)), 9);
    }

    [Fact]
    public void Without_xqa_an_fp16_cache_or_an_a100_reads_a_gqa_models_kv_once_a_kv_head()
    {
        var mistral = ModelCatalog.Get("mistralai/Mistral-7B-v0.1");
        Assert.Equal(KvSeconds(TensorRtEngine(mistral, GpuCatalog.H200Sxm, DType.Bf16, true)), KvSeconds(TensorRtEngine(mistral, GpuCatalog.H200Sxm, DType.Bf16, false)), 12);
        Assert.Equal(KvSeconds(TensorRtEngine(mistral, GpuCatalog.A100_80G, DType.Bf16, true)), KvSeconds(TensorRtEngine(mistral, GpuCatalog.A100_80G, DType.Bf16, false)), 12);
    }

    [Fact]
    public void Xqa_is_a_tensorrt_llm_setting_that_only_its_tensorrt_engines_follow()
    {
        var spec = new EngineSpec { Model = ModelCatalog.Llama31_8B, Gpu = GpuCatalog.H100Sxm, Engine = EngineProfiles.Vllm, Xqa = false };
        Assert.Contains("--xqa", Assert.Throws<InputException>(spec.Validate).Message);
        // The PyTorch backend runs XQA whatever the flag says (a release-less rerun of a 0.9 figure keeps its --xqa).
        var pytorch = TensorRtEngine(ModelCatalog.Get("mistralai/Mistral-7B-v0.1"), GpuCatalog.H200Sxm, DType.Fp8, false) with { TensorRtEngine = false };
        pytorch.Validate();
        Assert.False(pytorch.MaskedMhaDecodesGqa);
    }

    [Fact]
    public void A_gqa_model_reads_kv_at_the_hbms_rate_through_xqa()
    {
        var llama = ModelCatalog.Llama31_8B;
        var trtllm = KvSeconds(llama, GpuCatalog.H200Sxm, EngineProfiles.Trtllm);
        var vllm = KvSeconds(llama, GpuCatalog.H200Sxm, EngineProfiles.Vllm);
        Assert.Equal(vllm, trtllm, 9);
    }
}
