using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Estimation;
using DisaggServing.Engine.Performance;
using DisaggServing.Engine.Workloads;

namespace DisaggServing.Engine.Tests.Estimation;

/// <summary>Request lengths drawn per request (a benchmark's random dataset) against fixed lengths of the same mean.</summary>
public class EstimatorLengthsTests
{
    private static readonly EngineSpec Small = new() { Model = ModelCatalog.Llama31_8B, Gpu = GpuCatalog.H100Sxm, TensorParallel = 1, WeightDtype = DType.Fp8 };

    // Uniform [1, 2·mean − 1] has the fixed run's mean, 1000 in and 200 out.
    private static EstimateResult Run(int concurrency, bool uniform, int requests, int seed = 0) => Estimator.Run(new EstimateOptions
    {
        Engine = Small, Concurrency = concurrency, Requests = requests, Seed = seed,
        InputTokens = uniform ? 0 : 1000, OutputTokens = uniform ? 0 : 200,
        Workload = uniform ? WorkloadSpec.Uniform(1, 1999, 1, 399) : null,
    });

    [Fact]
    public void Uniform_lengths_break_up_the_convoys_of_fixed_lengths_at_high_concurrency()
    {
        // Fixed lengths: the clients finish on the same step and prefill together, so each waits for all the others'
        // prompts. Uniform lengths stagger them, as bench_serving's random dataset does on real servers.
        var fixedLengths = Run(64, uniform: false, requests: 512);
        var uniform = Run(64, uniform: true, requests: 512);
        Assert.True(uniform.TtftMeanMs < 0.7 * fixedLengths.TtftMeanMs,
            $"uniform {uniform.TtftMeanMs:F1} ms against fixed {fixedLengths.TtftMeanMs:F1} ms");
    }

    [Fact]
    public void At_one_client_uniform_lengths_give_the_ttft_of_fixed_lengths_of_the_same_mean()
    {
        // Alone on the engine, a prompt's TTFT is one prefill, nearly linear in its length: the mean follows the mean length.
        var fixedLengths = Run(1, uniform: false, requests: 200);
        var uniform = Run(1, uniform: true, requests: 200);
        Assert.InRange(uniform.IslMean!.Value, 950, 1050);
        Assert.Equal(fixedLengths.TtftMeanMs!.Value, uniform.TtftMeanMs!.Value, fixedLengths.TtftMeanMs.Value * 0.08);
    }

    [Fact]
    public void The_result_reports_the_workload_the_seed_and_the_mean_lengths_it_ran()
    {
        var uniform = Run(4, uniform: true, requests: 40, seed: 5);
        var drawn = WorkloadSpec.Uniform(1, 1999, 1, 399).Generate(4 + 40 + 4, seed: 5);
        // The measured requests are the 40 after the warm-up wave, issued in order.
        Assert.Equal(drawn.Skip(4).Take(40).Average(r => (double)r.InputTokens), uniform.IslMean!.Value, 9);
        Assert.Equal(drawn.Skip(4).Take(40).Average(r => (double)r.OutputTokens), uniform.OslMean!.Value, 9);
        Assert.Equal((int)Math.Round(uniform.IslMean.Value), uniform.Isl);
        Assert.Equal(("uniform:1-1999:1-399", 5), (uniform.Workload, uniform.Seed));

        var fixedLengths = Run(4, uniform: false, requests: 40);
        Assert.Equal(("fixed:1000:200", 1000, 200, 1000.0), (fixedLengths.Workload, fixedLengths.Isl, fixedLengths.Osl, fixedLengths.IslMean));
    }

    [Fact]
    public void The_same_seed_gives_the_same_estimate_and_another_seed_other_lengths()
    {
        var a = Run(8, uniform: true, requests: 64, seed: 1) with { WallSeconds = 0 };
        var b = Run(8, uniform: true, requests: 64, seed: 1) with { WallSeconds = 0 };
        var c = Run(8, uniform: true, requests: 64, seed: 2) with { WallSeconds = 0 };
        Assert.Equal(a, b);
        Assert.NotEqual(a.IslMean, c.IslMean);
    }

    [Fact]
    public void Offline_runs_draw_lengths_too()
    {
        var result = Estimator.Run(new EstimateOptions { Engine = Small, Requests = 100, Workload = WorkloadSpec.Uniform(1, 255, 1, 127), Seed = 3 });
        var drawn = WorkloadSpec.Uniform(1, 255, 1, 127).Generate(100, seed: 3);
        Assert.Equal("offline", result.Mode);
        Assert.Equal(drawn.Average(r => (double)r.InputTokens), result.IslMean!.Value, 9);
        Assert.Equal(drawn.Sum(r => r.OutputTokens) / result.SimulatedSeconds, result.OutputTokensPerSecond!.Value, 6);
    }

    [Fact]
    public void Fixed_lengths_and_a_workload_together_are_refused_naming_both()
    {
        var error = Assert.Throws<InputException>(() => Estimator.Run(new EstimateOptions
        {
            Engine = Small, InputTokens = 100, OutputTokens = 10, Workload = WorkloadSpec.Uniform(1, 10, 1, 10), Concurrency = 1,
        }));
        Assert.Contains("--isl/--osl", error.Message);
        Assert.Contains("--workload uniform:1-10:1-10", error.Message);
    }

    [Fact]
    public void A_trace_is_refused_since_the_estimate_issues_its_own_requests()
    {
        var error = Assert.Throws<InputException>(() => Estimator.Run(new EstimateOptions { Engine = Small, Workload = WorkloadSpec.Trace("t.jsonl"), Concurrency = 1 }));
        Assert.Contains("--workload trace:t.jsonl", error.Message);
        Assert.Contains("uniform:", error.Message);
    }

    [Fact]
    public void A_drawn_request_larger_than_the_kv_cache_names_the_workload()
    {
        var error = Assert.Throws<InputException>(() => Estimator.Run(new EstimateOptions
        {
            Engine = Small, Workload = WorkloadSpec.Uniform(1, 50_000_000, 1, 1), Concurrency = 1, Requests = 4,
        }));
        Assert.Contains("longest request of --workload uniform:1-50000000:1", error.Message);
        Assert.Contains("KV cache", error.Message);
    }
}
