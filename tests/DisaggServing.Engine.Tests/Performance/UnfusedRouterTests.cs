using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Tests.Performance;

// SGLang fuses a biased sigmoid router (DeepSeek-V3's, GLM's, Kimi K2's) into one kernel only for a power-of-two expert
// count or Kimi K2's 384; GLM-4.5's 160 experts take its torch-compiled fallback in every release.
public class UnfusedRouterTests
{
    private static EngineSpec Spec(ModelSpec model, EngineProfile engine) => new()
    {
        Model = model, Gpu = GpuCatalog.B200, TensorParallel = 8, WeightDtype = DType.Bf16, Engine = engine,
    };

    private static StepCost Decode(EngineSpec spec) =>
        new StepTimeModel(spec, EngineOverheads.None).Cost(BatchShape.Of(1, 1024, isDecode: true));

    [Fact]
    public void Sglang_selects_glm_4_5s_160_experts_outside_its_fused_router_but_keeps_power_of_two_counts_and_kimi_k2s_384_fused()
    {
        Assert.True(LayerKernels.UnfusedRouter(ModelCatalog.Glm45, EngineProfiles.Sglang));
        Assert.True(LayerKernels.UnfusedRouter(ModelCatalog.Get("zai-org/GLM-4.6"), EngineProfiles.Sglang));
        Assert.False(LayerKernels.UnfusedRouter(ModelCatalog.Glm45Air, EngineProfiles.Sglang));
        Assert.False(LayerKernels.UnfusedRouter(ModelCatalog.DeepSeekV3, EngineProfiles.Sglang));
        Assert.False(LayerKernels.UnfusedRouter(ModelCatalog.KimiK2, EngineProfiles.Sglang));
        // A softmax router of a non-power-of-two count is SGLang's fused topk_softmax.
        Assert.False(LayerKernels.UnfusedRouter(ModelCatalog.Get("Qwen/Qwen3-Coder-480B-A35B-Instruct"), EngineProfiles.Sglang));
        Assert.False(LayerKernels.UnfusedRouter(ModelCatalog.Glm45, EngineProfiles.Vllm));
        Assert.False(LayerKernels.UnfusedRouter(ModelCatalog.Glm45, EngineProfiles.Trtllm));
    }

    [Fact]
    public void The_fallbacks_eight_more_kernels_a_moe_layer_join_the_steps_floor_not_its_eager_launches()
    {
        var glm = Spec(ModelCatalog.Glm45, EngineProfiles.Sglang);
        var fused = Spec(ModelCatalog.Glm45, EngineProfiles.Sglang with { FusedBiasedRouterNeedsPowerOfTwo = false });
        var m = ModelCatalog.Glm45;
        Assert.Equal(8.0 * m.MoeLayers / m.Layers,
            LayerKernels.PerLayer(m, DType.Bf16, 8, unfusedRouter: true) - LayerKernels.PerLayer(m, DType.Bf16, 8), 9);

        var (slow, fast) = (Decode(glm), Decode(fused));
        // The floor is fitted on a dense GQA layer's kernels (Llama's at the same TP and weights); each more kernel pays its share.
        var floorPerKernel = glm.EffectiveConstants.LayerFloorSeconds / LayerKernels.PerLayer(ModelCatalog.Llama31_8B, DType.Bf16, 8);
        Assert.Equal(m.MoeLayers * 8 * floorPerKernel, slow.ElementwiseSeconds - fast.ElementwiseSeconds, 9);
        Assert.True(slow.TotalSeconds > fast.TotalSeconds);
        // One torch-compiled call launches them: a prefill's eager host launches stay as counted for the fused router.
        var host = new StepTimeModel(glm, EngineOverheads.None).Cost(BatchShape.Of(2048, 0, isDecode: false)).HostLaunchSeconds;
        Assert.True(host > 0);
        Assert.Equal(new StepTimeModel(fused, EngineOverheads.None).Cost(BatchShape.Of(2048, 0, isDecode: false)).HostLaunchSeconds, host, 12);
    }
}
