using DisaggServing.Engine.Calibration;
using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Estimation;
using DisaggServing.Engine.Performance;
using DisaggServing.Engine.Workloads;

namespace DisaggServing.Engine.Tests.Estimation;

public class RequestRateTests
{
    private static readonly EngineSpec Small = new() { Model = ModelCatalog.Llama31_8B, Gpu = GpuCatalog.H100Sxm, TensorParallel = 1, WeightDtype = DType.Fp8 };

    private static EstimateOptions AtRate(double rate, int requests = 100) => new()
    {
        Engine = Small, InputTokens = 1000, OutputTokens = 100, RequestRate = rate, Requests = requests,
    };

    [Fact]
    public void At_a_low_rate_ttft_approaches_the_unloaded_prefill_and_throughput_is_rate_times_output_tokens()
    {
        var result = Estimator.Run(AtRate(0.2));
        var unloaded = Estimator.Run(new EstimateOptions { Engine = Small, InputTokens = 1000, OutputTokens = 100, Concurrency = 1, Requests = 4 });
        Assert.Equal(("rate", "all", 100), (result.Mode, result.Measure, result.Requests));
        Assert.Equal(0.2, result.RequestRate);
        Assert.InRange(result.TtftMs!.Value, 0.999 * unloaded.TtftMs!.Value, 1.1 * unloaded.TtftMs.Value);
        // The run lasts N / rate plus the last request's latency, so throughput sits just under rate × output tokens.
        Assert.InRange(result.OutputTokensPerSecond!.Value, 0.97 * 0.2 * 100, 0.2 * 100);
        Assert.InRange(result.RequestsPerSecond!.Value, 0.97 * 0.2, 0.2);
    }

    [Fact]
    public void An_infinite_rate_sends_every_request_at_the_start_to_the_served_engine_whose_tokens_stream()
    {
        Assert.All(RequestRateSchedule.SendTimes(5, double.PositiveInfinity, 1, 0), t => Assert.Equal(0, t));
        // vllm bench serve's default rate: the 50 requests arrive together, as an offline run's do, but the served engine
        // streams each token (a TensorRT engine's front end per streamed token), so no step is shorter than offline.
        var trt = Small with { Engine = EngineProfiles.Trtllm, TensorRtEngine = true, SynchronousScheduling = true };
        var atOnce = Estimator.Run(AtRate(double.PositiveInfinity, 50) with { Engine = trt });
        var offline = Estimator.Run(new EstimateOptions { Engine = trt, InputTokens = 1000, OutputTokens = 100, Requests = 50 });
        Assert.Equal(("rate", double.PositiveInfinity, 50), (atOnce.Mode, atOnce.RequestRate, atOnce.Requests));
        Assert.True(atOnce.ItlMeanMs > offline.ItlMeanMs, $"served {atOnce.ItlMeanMs} ms against offline {offline.ItlMeanMs} ms");
    }

    [Fact]
    public void Above_capacity_ttft_grows_with_the_number_of_requests()
    {
        var capacity = Estimator.Run(new EstimateOptions { Engine = Small, InputTokens = 1000, OutputTokens = 100, Requests = 400 }).RequestsPerSecond!.Value;
        var fewer = Estimator.Run(AtRate(3 * capacity, 200));
        var more = Estimator.Run(AtRate(3 * capacity, 400));
        Assert.True(more.TtftMeanMs > 1.5 * fewer.TtftMeanMs, $"400 requests {more.TtftMeanMs} ms vs 200 requests {fewer.TtftMeanMs} ms");
        // Served at the engine's capacity, not at the rate offered.
        Assert.InRange(more.RequestsPerSecond!.Value, 0.8 * capacity, 1.1 * capacity);
    }

    [Fact]
    public void A_concurrency_cap_bounds_the_requests_in_flight_and_their_ttft_counts_from_the_send()
    {
        var open = Estimator.Run(AtRate(200, 200));
        var capped = Estimator.Run(AtRate(200, 200) with { Concurrency = 8 });
        Assert.True(open.PeakInFlight > 8, $"uncapped peak {open.PeakInFlight}");
        Assert.Equal(8, capped.PeakInFlight);
        Assert.Equal(8, capped.Concurrency);
        // Waiting for a slot is not counted, so TTFT stays near a batch of 8 prefills instead of the whole queue.
        Assert.True(capped.TtftMeanMs < open.TtftMeanMs / 4, $"capped {capped.TtftMeanMs} ms vs open {open.TtftMeanMs} ms");
    }

    [Fact]
    public void The_same_seed_gives_the_same_result_and_another_seed_another()
    {
        var options = AtRate(20) with { Workload = WorkloadSpec.Uniform(1, 1999, 1, 199), InputTokens = 0, OutputTokens = 0, Seed = 3 };
        var a = Estimator.Run(options) with { WallSeconds = 0 };
        var b = Estimator.Run(options) with { WallSeconds = 0 };
        var other = Estimator.Run(options with { Seed = 4 }) with { WallSeconds = 0 };
        Assert.Equal(a, b);
        Assert.NotEqual(a.TtftMeanMs, other.TtftMeanMs);
    }

    [Fact]
    public void Burstiness_one_is_the_poisson_process_the_workload_generator_draws()
    {
        var poisson = WorkloadSpec.Fixed(1, 1).Generate(500, ratePerSecond: 4, seed: 9);
        var times = RequestRateSchedule.SendTimes(500, 4, burstiness: 1, seed: 9);
        var scale = 500 / 4.0 / poisson[^1].ArrivalSeconds;
        for (var i = 0; i < times.Length; i++) Assert.Equal(poisson[i].ArrivalSeconds * scale, times[i], 9);
        var unset = Estimator.Run(AtRate(20)) with { WallSeconds = 0 };
        var one = Estimator.Run(AtRate(20) with { Burstiness = 1 }) with { WallSeconds = 0 };
        Assert.Equal(unset, one);
    }

    [Theory]
    [InlineData(0.25)]
    [InlineData(1)]
    [InlineData(4)]
    public void Gamma_gaps_keep_the_mean_and_lower_burstiness_widens_them(double burstiness)
    {
        var arrivals = new GammaArrivals(2, burstiness);
        var random = new Random(1);
        var gaps = Enumerable.Range(0, 40_000).Select(_ => arrivals.NextGapSeconds(random)).ToArray();
        var mean = gaps.Average();
        var variance = gaps.Average(g => (g - mean) * (g - mean));
        Assert.Equal(0.5, mean, 0.02);
        // Gamma(shape k, scale 1/(rate k)) has variance 1/(rate² k): the coefficient of variation is 1/√k.
        Assert.Equal(1 / Math.Sqrt(burstiness), Math.Sqrt(variance) / mean, 0.05);
    }

    [Fact]
    public void Send_times_end_at_n_over_rate_as_vllm_rescales_them()
    {
        var times = RequestRateSchedule.SendTimes(300, 7.5, burstiness: 0.5, seed: 2);
        Assert.Equal(300 / 7.5, times[^1], 9);
        Assert.True(times.Zip(times.Skip(1)).All(p => p.First <= p.Second));
        Assert.True(times[0] > 0);
    }

    [Theory]
    [InlineData(0.0, 1.0, 100, "--request-rate")]
    [InlineData(-3.0, 1.0, 100, "--request-rate")]
    [InlineData(double.NaN, 1.0, 100, "--request-rate")]
    [InlineData(5.0, 0.0, 100, "--burstiness")]
    [InlineData(5.0, -1.0, 100, "--burstiness")]
    [InlineData(5.0, 1.0, null, "--requests")]
    public void Bad_rate_input_is_rejected_naming_the_field(double rate, double burstiness, int? requests, string named)
    {
        var e = Assert.Throws<InputException>(() => Estimator.Run(AtRate(rate) with { Burstiness = burstiness, Requests = requests }));
        Assert.Contains(named, e.Message);
    }

    [Fact]
    public void Burstiness_without_a_rate_is_rejected()
    {
        var e = Assert.Throws<InputException>(() => Estimator.Run(new EstimateOptions { Engine = Small, InputTokens = 10, OutputTokens = 10, Concurrency = 2, Burstiness = 2 }));
        Assert.Contains("--request-rate", e.Message);
    }

    [Fact]
    public void The_reproducing_command_carries_the_rate_burstiness_and_cap_but_no_measure_flag()
    {
        var line = EstimateCommandLine.Format(AtRate(2.5) with { Burstiness = 0.5, Concurrency = 16 });
        Assert.Contains("--isl 1000 --osl 100 --request-rate 2.5 --burstiness 0.5 --concurrency 16 --requests 100", line);
        Assert.DoesNotContain("--measure", line);
        Assert.DoesNotContain("--burstiness", EstimateCommandLine.Format(AtRate(2.5)));
    }
}
