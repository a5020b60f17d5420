using DisaggServing.Engine.Calibration;
using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Estimation;
using DisaggServing.Engine.Performance;
using DisaggServing.Engine.Workloads;

namespace DisaggServing.Engine.Tests.Estimation;

public class MeasureWindowTests
{
    private static readonly EngineSpec Small = new() { Model = ModelCatalog.Llama31_8B, Gpu = GpuCatalog.H100Sxm, TensorParallel = 1, WeightDtype = DType.Fp8 };

    private static EstimateOptions Loaded(MeasureWindow measure) => new()
    {
        Engine = Small, Workload = WorkloadSpec.Uniform(1, 3999, 1, 399), Concurrency = 32, Requests = 96, Measure = measure,
    };

    [Fact]
    public void All_counts_the_first_wave_that_prefills_together_so_its_mean_ttft_is_above_the_steady_one()
    {
        var steady = Estimator.Run(Loaded(MeasureWindow.Steady));
        var all = Estimator.Run(Loaded(MeasureWindow.All));
        Assert.Equal(("steady", "all"), (steady.Measure, all.Measure));
        Assert.Equal(96, all.Requests);
        Assert.True(all.TtftMeanMs > 1.2 * steady.TtftMeanMs, $"all {all.TtftMeanMs} vs steady {steady.TtftMeanMs}");
        // The drain runs below the full load, so the whole run's throughput is lower than the steady window's.
        Assert.True(all.OutputTokensPerSecond < steady.OutputTokensPerSecond);
    }

    [Fact]
    public void From_the_start_a_kv_bound_loop_counts_the_first_wave_that_did_not_queue_so_its_mean_ttft_is_below_the_steady_one()
    {
        // 48 clients of 4,000-token requests on a cache that holds fewer of them: from the start, the first wave runs at once and only
        // the rest queue; in the steady state every request waits for a running one to end.
        var spec = Small with { GpuMemoryUtilization = 0.3 };
        var capacity = MemoryModel.Plan(spec).KvTokens / 4000;
        Assert.InRange(capacity, 20, 47);
        var options = new EstimateOptions { Engine = spec, InputTokens = 2000, OutputTokens = 2000, Concurrency = 48, Requests = 96 };
        var steady = Estimator.Run(options with { Measure = MeasureWindow.Steady });
        var fromStart = Estimator.Run(options with { Measure = MeasureWindow.FromStart });
        Assert.Equal(("steady", "from-start"), (steady.Measure, fromStart.Measure));
        Assert.True(fromStart.TtftMeanMs < 0.8 * steady.TtftMeanMs, $"from the start {fromStart.TtftMeanMs} vs steady {steady.TtftMeanMs}");
        // Both keep the load up behind the measured requests, so the decode is the same.
        Assert.Equal(steady.ItlMeanMs!.Value, fromStart.ItlMeanMs!.Value, 0.05 * steady.ItlMeanMs.Value);
        Assert.Contains("--measure from-start", EstimateCommandLine.Format(options with { Measure = MeasureWindow.FromStart }));
    }

    [Fact]
    public void All_divides_every_output_token_by_the_whole_run_and_weighs_itl_by_tokens()
    {
        var all = Estimator.Run(Loaded(MeasureWindow.All));
        var requests = WorkloadSpec.Uniform(1, 3999, 1, 399).Generate(96, ratePerSecond: null, seed: 0);
        var output = requests.Sum(r => (double)r.OutputTokens);
        Assert.Equal(output / all.SimulatedSeconds, all.OutputTokensPerSecond!.Value, 6);
        Assert.Equal(output / 96, all.OslMean!.Value, 9);
        // Token-weighted (bench_serving) and per-request (genai-perf) means differ once lengths differ.
        Assert.NotEqual(all.ItlMeanMs!.Value, all.TpotMs!.Value, 3);
    }

    [Fact]
    public void The_measure_window_is_printed_only_where_it_is_not_the_engines_benchmarks()
    {
        // vllm bench serve and trtllm-serve's benchmark_serving measure every request; genai-perf (NIM's TensorRT engines) the steady state.
        Assert.DoesNotContain("--measure", EstimateCommandLine.Format(Loaded(MeasureWindow.All)));
        Assert.Contains("--concurrency 32 --requests 96 --measure steady", EstimateCommandLine.Format(Loaded(MeasureWindow.Steady)));
        var trtllm = Small with { Engine = EngineProfiles.Trtllm, MaxNumSeqs = 2048, MaxNumBatchedTokens = 8192, EnableChunkedPrefill = false };
        Assert.DoesNotContain("--measure", EstimateCommandLine.Format(Loaded(MeasureWindow.All) with { Engine = trtllm, Admission = DisaggServing.Engine.Scheduling.AdmissionPolicy.ReserveFull }));
        Assert.Contains("--measure steady", EstimateCommandLine.Format(Loaded(MeasureWindow.Steady) with { Engine = trtllm, Admission = DisaggServing.Engine.Scheduling.AdmissionPolicy.ReserveFull }));
        var engines = trtllm with { TensorRtEngine = true };
        Assert.Contains("--measure all", EstimateCommandLine.Format(Loaded(MeasureWindow.All) with { Engine = engines, Admission = DisaggServing.Engine.Scheduling.AdmissionPolicy.ReserveFull }));
        Assert.DoesNotContain("--measure", EstimateCommandLine.Format(Loaded(MeasureWindow.Steady) with { Engine = engines, Admission = DisaggServing.Engine.Scheduling.AdmissionPolicy.ReserveFull }));
        var unmixed = Loaded(MeasureWindow.Steady) with { Engine = Small with { MixedPrefillDecode = false } };
        Assert.Contains("--mixed-chunk off", EstimateCommandLine.Format(unmixed));
    }
}
