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
    public void By_time_from_the_start_one_client_is_measured_for_three_windows_of_requests_one_after_another()
    {
        // genai-perf --measurement-interval 60000: 72-second windows, and one client's sub-second requests end in each,
        // so perf_analyzer stops after three; far more requests than the first eight waves count.
        var options = new EstimateOptions
        {
            Engine = Small, InputTokens = 200, OutputTokens = 200, Concurrency = 1, Measure = MeasureWindow.FromStart, MeasurementIntervalMs = 60_000,
        };
        var run = Estimator.Run(options);
        Assert.Equal((216.0, 60_000.0), (run.MeasuredUntilSeconds!.Value, run.MeasurementIntervalMs!.Value));
        var simulatedE2e = run.SimulatedSeconds / run.Requests;
        Assert.True(run.Requests > 64, $"{run.Requests} requests");
        // Every request that ended by then, and no more than one past it.
        Assert.InRange(run.Requests * simulatedE2e, 216 - 2 * simulatedE2e, 216 + 2 * simulatedE2e);
        Assert.Contains("--measure from-start --measurement-interval 60000", EstimateCommandLine.Format(options));
    }

    [Fact]
    public void By_time_a_kv_bound_loop_is_measured_before_the_queue_behind_its_first_waves_is_served()
    {
        // 48 clients of 4,000-token requests on a cache that holds fewer: counted over eight waves, most measured requests
        // waited in the queue; perf_analyzer's windows close while the first clients' requests are still the ones ending.
        var spec = Small with { GpuMemoryUtilization = 0.3 };
        var options = new EstimateOptions { Engine = spec, InputTokens = 2000, OutputTokens = 2000, Concurrency = 48, Measure = MeasureWindow.FromStart };
        var counted = Estimator.Run(options);
        var timed = Estimator.Run(options with { MeasurementIntervalMs = 10_000 });
        Assert.Null(counted.MeasuredUntilSeconds);
        Assert.True(timed.Requests < counted.Requests, $"{timed.Requests} vs {counted.Requests}");
        Assert.True(timed.TtftMeanMs < counted.TtftMeanMs, $"by time {timed.TtftMeanMs} vs by count {counted.TtftMeanMs}");
        Assert.InRange(timed.MeasuredUntilSeconds!.Value / 12, 3, PerfAnalyzerWindows.MaxTrials);
    }

    [Fact]
    public void By_time_a_run_whose_requests_outlast_ten_windows_is_refused_naming_the_interval()
    {
        var options = new EstimateOptions
        {
            Engine = Small, InputTokens = 200, OutputTokens = 2000, Concurrency = 1, Measure = MeasureWindow.FromStart, MeasurementIntervalMs = 100,
        };
        var e = Assert.Throws<InputException>(() => Estimator.Run(options));
        Assert.Contains("--measurement-interval", e.Message);
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
