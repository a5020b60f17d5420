using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Tests.Performance;

/// <summary>TensorRT-LLM decodes an MHA model with its masked MHA kernel, which reads KV no faster than its fitted rate.</summary>
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

    [Fact]
    public void A_gqa_model_reads_kv_at_the_hbms_rate_through_xqa()
    {
        var llama = ModelCatalog.Llama31_8B;
        var trtllm = KvSeconds(llama, GpuCatalog.H200Sxm, EngineProfiles.Trtllm);
        var vllm = KvSeconds(llama, GpuCatalog.H200Sxm, EngineProfiles.Vllm);
        Assert.Equal(vllm, trtllm, 9);
    }
}
