using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Estimation;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Tests.Performance;

// SGLang behind attention DP runs prefill as batches of its own, as SGLang always does, where its profile mixes elsewhere.
public class AttentionDpPrefillTests
{
    private static readonly EngineSpec Glm52Dp8 = new()
    {
        Model = ModelCatalog.Get("zai-org/GLM-5.2-FP8"), Gpu = GpuCatalog.H200Sxm, TensorParallel = 8, ExpertParallel = 8,
        AttentionDataParallel = true, WeightDtype = DType.Fp8, Engine = EngineProfiles.Sglang, GpuMemoryUtilization = 0.85,
        KvCacheDtype = DType.Fp8, MaxNumSeqs = 256,
    };

    [Fact]
    public void Sglang_runs_prefill_alone_behind_attention_dp_and_mixes_elsewhere_unless_told()
    {
        Assert.False(Glm52Dp8.EffectiveMixedPrefillDecode);
        Assert.True((Glm52Dp8 with { AttentionDataParallel = false }).EffectiveMixedPrefillDecode);
        // --mixed-chunk on wins, and the engines that mix under attention DP keep mixing.
        Assert.True((Glm52Dp8 with { MixedPrefillDecode = true }).EffectiveMixedPrefillDecode);
        Assert.True((Glm52Dp8 with { Engine = EngineProfiles.Vllm }).EffectiveMixedPrefillDecode);
        Assert.True((Glm52Dp8 with { Engine = EngineProfiles.Trtllm }).EffectiveMixedPrefillDecode);
    }

    [Fact]
    public void Behind_attention_dp_the_decodes_no_longer_pay_a_ranks_prefill_chunk_in_every_step()
    {
        // 8K prompts keep arriving while 256 requests decode: mixed, every step carries some rank's 1,024-token chunk,
        // which holds all ranks; alone, prefill batches come between decode steps that run at the decode's own pace.
        EstimateOptions Options(EngineSpec engine) => new()
        {
            Engine = engine, InputTokens = 8204, OutputTokens = 1024, Concurrency = 256, Requests = 400, Measure = MeasureWindow.All,
        };
        var alone = Estimator.Run(Options(Glm52Dp8));
        var mixed = Estimator.Run(Options(Glm52Dp8 with { MixedPrefillDecode = true }));
        Assert.True(alone.ItlMeanMs < 0.85 * mixed.ItlMeanMs, $"alone {alone.ItlMeanMs:F1} ms, mixed {mixed.ItlMeanMs:F1} ms");
        // The work is the same: throughput within a few percent either way.
        Assert.InRange(alone.OutputTokensPerSecond!.Value / mixed.OutputTokensPerSecond!.Value, 0.9, 1.15);
    }
}
