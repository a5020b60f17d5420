using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Tests.Performance;

// vLLM before 0.18 ran MiniMax-M2's block-FP8 experts on Blackwell through Triton's fused_moe: its FP32 router logits
// did not fit FlashInfer's monolithic TensorRT-LLM-gen FP8 MoE until the modular kernel of PR 36307. SGLang runs them so
// by default in every release (its routed FlashInfer MoE is opt-in).
public class Fp32RouterTritonExpertsTests
{
    private static readonly ModelSpec MiniMax = ModelCatalog.Get("MiniMaxAI/MiniMax-M2.5");

    private static EngineSpec Spec(ModelSpec model, EngineProfile engine, string? release) =>
        new EngineSpec { Model = model, Gpu = GpuCatalog.B200, TensorParallel = 4, WeightDtype = DType.Fp8, Engine = engine }
            .AsReleased(release is null ? null : EngineRelease.Parse(release, "release"));

    [Theory]
    [InlineData("0.12.0", true)]
    [InlineData("0.17.1", true)]
    [InlineData("0.18.0", false)]
    [InlineData(null, false)]
    public void Vllm_runs_minimaxs_block_fp8_experts_through_triton_until_0_18(string? release, bool triton) =>
        Assert.Equal(triton, Spec(MiniMax, EngineProfiles.Vllm, release).ReleaseDefaults.Fp32RouterTritonExperts);

    [Theory]
    [InlineData("0.5.8")]
    [InlineData("0.5.14")]
    [InlineData(null)]
    public void Sglang_runs_minimaxs_block_fp8_experts_through_triton_in_every_release(string? release) =>
        Assert.True(Spec(MiniMax, EngineProfiles.Sglang, release).ReleaseDefaults.Fp32RouterTritonExperts);

    [Fact]
    public void Other_routers_and_other_engines_keep_their_blackwell_moe_kernels()
    {
        Assert.False(Spec(ModelCatalog.Get("deepseek-ai/DeepSeek-R1-0528"), EngineProfiles.Vllm, "0.12.0").ReleaseDefaults.Fp32RouterTritonExperts);
        Assert.False(Spec(ModelCatalog.Get("deepseek-ai/DeepSeek-R1-0528"), EngineProfiles.Sglang, "0.5.8").ReleaseDefaults.Fp32RouterTritonExperts);
        Assert.False(Spec(MiniMax, EngineProfiles.Trtllm, "1.2.0").ReleaseDefaults.Fp32RouterTritonExperts);
    }

    [Fact]
    public void A_prompt_step_with_few_rows_per_expert_costs_more_under_triton_while_a_small_decode_step_does_not()
    {
        // 0.17 and 0.18 differ in this alone (both schedule asynchronously, fuse the all-reduces and join the q/k norms).
        static StepCost Cost(string release, BatchShape batch) => new StepTimeModel(Spec(MiniMax, EngineProfiles.Vllm, release), EngineOverheads.None).Cost(batch);
        var prompt = BatchShape.Of(2048, 0, isDecode: false);
        Assert.True(Cost("0.17.1", prompt).ComputeSeconds > 1.2 * Cost("0.18.0", prompt).ComputeSeconds);
        // Steps of a few tokens keep the fitted efficiency (the tuned configs' small M blocks).
        var decode = new BatchShape();
        for (var i = 0; i < 8; i++) decode.Add(1, 2048, true);
        Assert.Equal(Cost("0.18.0", decode).TotalSeconds, Cost("0.17.1", decode).TotalSeconds, 9);
    }
}
