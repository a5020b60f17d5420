using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Tests.Performance;

// vLLM's -O2 fuses each TP all-reduce with the residual add and RMSNorm after it by default from 0.16, on Hopper and
// Blackwell, in steps whose activations fit its per-GPU, per-TP limit.
public class DefaultAllReduceFusionTests
{
    private static EngineSpec Llama70B(GpuSpec gpu, int tp, EngineRelease? release = null) =>
        new EngineSpec { Model = ModelCatalog.Llama33_70B, Gpu = gpu, TensorParallel = tp, WeightDtype = DType.Fp8, Engine = EngineProfiles.Vllm }.AsReleased(release);

    private static StepCost Decode(EngineSpec spec, int sequences) =>
        new StepTimeModel(spec, EngineOverheads.None).Cost(BatchShape.Decodes(sequences, sequences * 2000L));

    [Fact]
    public void Vllm_fuses_from_0_16_on_hopper_and_blackwell_and_not_before_nor_on_a100()
    {
        Assert.True(Llama70B(GpuCatalog.B200, 2).EffectiveAllReduceFusion);
        Assert.True(Llama70B(GpuCatalog.H100Sxm, 8, new EngineRelease(0, 16, 0)).EffectiveAllReduceFusion);
        Assert.False(Llama70B(GpuCatalog.H100Sxm, 8, new EngineRelease(0, 15, 1)).EffectiveAllReduceFusion);
        Assert.False(Llama70B(GpuCatalog.A100_80G, 8).EffectiveAllReduceFusion);
        // One GPU has nothing to all-reduce; attention DP and pipeline stages run unfused (vLLM's TP-with-PP fusion is broken).
        Assert.False(Llama70B(GpuCatalog.B200, 1).EffectiveAllReduceFusion);
        Assert.False((Llama70B(GpuCatalog.B200, 4) with { PipelineParallel = 2 }).EffectiveAllReduceFusion);
        // --allreduce-fusion off turns the default off; SGLang and TensorRT-LLM keep their own rules.
        Assert.False((Llama70B(GpuCatalog.B200, 2) with { AllReduceFusion = false }).EffectiveAllReduceFusion);
        Assert.False((Llama70B(GpuCatalog.B200, 2) with { Engine = EngineProfiles.Sglang }).EffectiveAllReduceFusion);
    }

    [Fact]
    public void Models_with_gemma_style_norms_are_fused_only_from_the_release_that_matched_them()
    {
        var qwen = new EngineSpec { Model = ModelCatalog.Get("Qwen/Qwen3.5-397B-A17B"), Gpu = GpuCatalog.B200, TensorParallel = 8, Engine = EngineProfiles.Vllm };
        Assert.True(qwen.Model.OffsetNorm);
        Assert.False(qwen.AsReleased(new EngineRelease(0, 19, 0)).EffectiveAllReduceFusion);
        Assert.True(qwen.AsReleased(new EngineRelease(0, 24, 0)).EffectiveAllReduceFusion);
        // Without a release, vLLM as modelled (the 0.18/0.19 line the manifests deploy): not yet.
        Assert.False(qwen.EffectiveAllReduceFusion);
    }

    [Fact]
    public void The_fused_steps_stop_at_the_limit_on_their_activations()
    {
        // Llama-3.3-70B's 8,192-wide BF16 activations: 0.5 MiB at TP8 on Hopper is 32 tokens, 1 MiB on Blackwell 64,
        // 32 MiB at TP4 on Blackwell 2,048, 64 MiB at TP2 8,192.
        Assert.Equal(32, Llama70B(GpuCatalog.H100Sxm, 8).FusedAllReduceMaxTokens);
        Assert.Equal(64, Llama70B(GpuCatalog.B200, 8).FusedAllReduceMaxTokens);
        Assert.Equal(2048, Llama70B(GpuCatalog.B200, 4).FusedAllReduceMaxTokens);
        Assert.Equal(4096, Llama70B(GpuCatalog.H200Sxm, 2).FusedAllReduceMaxTokens);
        Assert.Equal(double.PositiveInfinity, (Llama70B(GpuCatalog.H100Sxm, 8) with { AllReduceFusion = true }).FusedAllReduceMaxTokens);

        var byDefault = Llama70B(GpuCatalog.H100Sxm, 8);
        var unfused = byDefault with { AllReduceFusion = false };
        var everyStep = byDefault with { AllReduceFusion = true };
        // A decode of 16 runs fused: each all-reduce saves the separate launch and sync, each layer two norm kernels.
        var saved = Decode(unfused, 16).TpCommSeconds - Decode(byDefault, 16).TpCommSeconds;
        Assert.Equal(2 * ModelCatalog.Llama33_70B.Layers * EngineProfiles.Vllm.UnfusedAllReduceSeconds, saved, 9);
        Assert.True(Decode(byDefault, 16).ElementwiseSeconds < Decode(unfused, 16).ElementwiseSeconds);
        // A decode of 64 is past the limit: it costs what an unfused one does, where --allreduce-fusion on still fuses it.
        Assert.Equal(Decode(unfused, 64), Decode(byDefault, 64));
        Assert.True(Decode(everyStep, 64).TotalSeconds < Decode(byDefault, 64).TotalSeconds);
    }

    [Fact]
    public void Sglang_fuses_qwen3_moe_from_0_5_7_and_gpt_oss_in_every_release_but_not_glm_4_moe()
    {
        EngineSpec Sglang(string model, EngineRelease? release) => new EngineSpec
        {
            Model = ModelCatalog.Get(model), Gpu = GpuCatalog.B200, TensorParallel = 8, Engine = EngineProfiles.Sglang,
        }.AsReleased(release);
        var older = new EngineRelease(0, 5, 6);
        var newer = new EngineRelease(0, 5, 8);
        Assert.False(Sglang("Qwen/Qwen3-235B-A22B", older).EffectiveAllReduceFusion);
        Assert.True(Sglang("Qwen/Qwen3-235B-A22B", newer).EffectiveAllReduceFusion);
        Assert.True(Sglang("Qwen/Qwen3-235B-A22B", null).EffectiveAllReduceFusion);
        // An alias counts as the model it aliases.
        Assert.True(Sglang("Qwen/Qwen3-235B-A22B-Instruct-2507-FP8", newer).EffectiveAllReduceFusion);
        Assert.True(Sglang("openai/gpt-oss-120b", older).EffectiveAllReduceFusion);
        Assert.False(Sglang("zai-org/GLM-4.6", newer).EffectiveAllReduceFusion);
        // Steps up to SGLang's FUSE_ALLREDUCE_MAX_BATCH_SIZE; --allreduce-fusion on fuses every step.
        Assert.Equal(2048, Sglang("Qwen/Qwen3-235B-A22B", newer).FusedAllReduceMaxTokens);
        Assert.Equal(double.PositiveInfinity, (Sglang("zai-org/GLM-4.6", newer) with { AllReduceFusion = true }).FusedAllReduceMaxTokens);
    }

    [Fact]
    public void A_qk_norm_all_reduce_is_never_fused_with_a_residual_norm()
    {
        var minimax = new EngineSpec { Model = ModelCatalog.MiniMaxM2, Gpu = GpuCatalog.B200, TensorParallel = 4, WeightDtype = DType.Fp8, Engine = EngineProfiles.Vllm };
        var perHead = minimax with { Model = ModelCatalog.MiniMaxM2 with { QkNormAcrossHeads = false } };
        var extra = Decode(minimax, 1).TpCommSeconds - Decode(perHead, 1).TpCommSeconds;
        Assert.True(minimax.EffectiveAllReduceFusion);
        var unfusedLatency = GpuCatalog.B200.AllReduceLatencySeconds(4) + EngineProfiles.Vllm.UnfusedAllReduceSeconds;
        Assert.InRange(extra / (ModelCatalog.MiniMaxM2.Layers * unfusedLatency), 1, 1.01);
    }
}
