using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Estimation;
using DisaggServing.Engine.Performance;
using DisaggServing.Engine.Workloads;

namespace DisaggServing.Engine.Tests.Estimation;

/// <summary>bench_serving runs that start with prompts already in SGLang's radix cache (its warm-up, or an earlier, smaller run).</summary>
public class WarmPromptsTests
{
    private static readonly EngineSpec Llama70 = new()
    {
        Model = ModelCatalog.Get("meta-llama/Llama-3.1-70B-Instruct"), Gpu = GpuCatalog.A100_80G, TensorParallel = 8, WeightDtype = DType.Bf16,
        Engine = EngineProfiles.Sglang, MaxNumSeqs = EngineProfiles.Sglang.DefaultMaxNumSeqs(GpuCatalog.A100_80G),
        MaxNumBatchedTokens = EngineProfiles.Sglang.DefaultMaxNumBatchedTokens(GpuCatalog.A100_80G),
    };

    private static EstimateResult Run(int warm) => Estimator.Run(new EstimateOptions
    {
        Engine = Llama70, Workload = WorkloadSpec.Uniform(1, 7999, 1, 999), Concurrency = 32, Requests = 96,
        Measure = MeasureWindow.All, Admission = EngineProfiles.Sglang.Admission, WarmPrompts = warm,
    });

    [Fact]
    public void A_first_wave_found_in_the_cache_skips_its_prefill_and_cuts_the_runs_mean_ttft()
    {
        // 32 prompts of ≈4,000 tokens start together: cold, the last waits for ≈128k tokens of prefill on 8 × A100.
        var cold = Run(0);
        var warm = Run(32);
        Assert.True(warm.TtftMeanMs < 0.5 * cold.TtftMeanMs, $"warm {warm.TtftMeanMs:F0} ms against cold {cold.TtftMeanMs:F0} ms");
        // The same requests, the same tokens: only the cached prompts' prefill is gone, so the run ends sooner.
        Assert.Equal(cold.IslMean, warm.IslMean);
        Assert.True(warm.SimulatedSeconds < cold.SimulatedSeconds);
    }

    [Fact]
    public void More_warm_prompts_than_requests_warm_them_all_and_a_negative_count_names_the_option()
    {
        Assert.Equal(Run(96).TtftMeanMs, Run(500).TtftMeanMs);
        var e = Assert.Throws<InputException>(() => Run(-1));
        Assert.Contains("--warm-prompts", e.Message, StringComparison.Ordinal);
    }
}
