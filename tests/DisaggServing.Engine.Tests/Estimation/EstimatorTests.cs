using DisaggServing.Engine;
using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Estimation;
using DisaggServing.Engine.Performance;
using DisaggServing.Engine.Workloads;

namespace DisaggServing.Engine.Tests.Estimation;

public class EstimatorTests
{
    private static readonly EngineSpec Small = new() { Model = ModelCatalog.Llama31_8B, Gpu = GpuCatalog.H100Sxm, TensorParallel = 1, WeightDtype = DType.Fp8 };

    // The same GPU and model as TensorRT-LLM's TensorRT engines run them: whole contexts, the batch bounded by KV alone.
    private static readonly EngineSpec SmallTensorRtEngine =
        Small with { Engine = EngineProfiles.Trtllm, TensorRtEngine = true, MaxNumSeqs = 2048, EnableChunkedPrefill = false };

    [Fact]
    public void A_longer_prompt_waits_for_its_tokenizing_in_the_servers_front_end_on_its_first_token_and_its_whole_request()
    {
        static EstimateResult Run(EngineSpec engine) =>
            Estimator.Run(new EstimateOptions { Engine = engine, InputTokens = 8000, OutputTokens = 20, Concurrency = 1, Requests = 3 });
        var untokenized = Small with { Engine = Small.Engine with { PromptTokenSeconds = 0 } };
        Assert.Equal(0, untokenized.ServerPromptTokenSeconds);
        Assert.True(Small.ServerPromptTokenSeconds > 0);
        var (with, without) = (Run(Small), Run(untokenized));
        Assert.Equal(8000 * Small.ServerPromptTokenSeconds * 1000, with.TtftMeanMs!.Value - without.TtftMeanMs!.Value, 6);
        Assert.Equal(8000 * Small.ServerPromptTokenSeconds * 1000, with.E2eMeanMs!.Value - without.E2eMeanMs!.Value, 6);
        // The engine's steps are not the server's: the decode stays.
        Assert.Equal(without.ItlMs!.Value, with.ItlMs!.Value, 9);
    }

    [Fact]
    public void Requests_sent_together_reach_the_engine_one_prompts_tokenizing_apart_as_the_servers_one_front_end_takes_them_in_turn()
    {
        // 100 ms of tokenizing a 100-token prompt dwarfs its prefill: eight clients starting together queue at the server.
        var slowTokenizer = Small with { Engine = Small.Engine with { PromptTokenSeconds = 1e-3 } };
        EstimateResult Run(int clients) => Estimator.Run(new EstimateOptions
        {
            Engine = slowTokenizer, InputTokens = 100, OutputTokens = 2, Concurrency = clients, Requests = clients, Measure = MeasureWindow.All,
        });
        var lone = Run(1).TtftMeanMs!.Value;
        var wave = Run(8).TtftMeanMs!.Value;
        // The k-th of eight waits for the k − 1 before it: 3.5 prompts' tokenizing on average, not one each in parallel.
        Assert.InRange(wave, lone + 3.5 * 100 - 10, lone + 3.5 * 100 + 10);
        // An offline run has no server in front: its prompts reach the engine together.
        var offline = Estimator.Run(new EstimateOptions { Engine = slowTokenizer, InputTokens = 100, OutputTokens = 2, Requests = 8 });
        Assert.True(offline.TtftMeanMs!.Value < lone + 100);
    }

    [Fact]
    public void Total_token_throughput_counts_the_measured_requests_prompts_beside_their_output_as_the_benchmarks_print_it()
    {
        // Fixed lengths: every finished request brought 1,000 prompt tokens and 100 output tokens.
        var fixedLengths = Estimator.Run(new EstimateOptions { Engine = Small, InputTokens = 1000, OutputTokens = 100, Requests = 40 });
        Assert.Equal(fixedLengths.RequestsPerSecond!.Value * 1000, fixedLengths.InputTokensPerSecond!.Value, 6);
        Assert.Equal(fixedLengths.OutputTokensPerSecond!.Value * 11, fixedLengths.TotalTokensPerSecond!.Value, 6);
        // Drawn lengths: the measured requests' own prompts and outputs, in their ratio.
        var drawn = Estimator.Run(new EstimateOptions { Engine = Small, Workload = WorkloadSpec.Uniform(100, 3000, 10, 500), Requests = 60 });
        Assert.Equal(drawn.OutputTokensPerSecond!.Value * drawn.IslMean!.Value / drawn.OslMean!.Value, drawn.InputTokensPerSecond!.Value, 6);
        Assert.Equal(drawn.InputTokensPerSecond!.Value + drawn.OutputTokensPerSecond!.Value, drawn.TotalTokensPerSecond!.Value, 6);
    }

    [Fact]
    public void Concurrency_one_ttft_is_one_prefill_step_and_the_servers_first_token_cost_and_itl_one_decode_step()
    {
        var result = Estimator.Run(new EstimateOptions { Engine = Small, InputTokens = 1000, OutputTokens = 50, Concurrency = 1, Requests = 4 });
        var model = new StepTimeModel(Small);
        Assert.True(Small.EffectiveConstants.FirstTokenSeconds > 0); // vLLM's OpenAI server, the default engine
        // ...and the server's tokenizing of the 1,000-token prompt.
        var server = Small.EffectiveConstants.FirstTokenSeconds + 1000 * Small.ServerPromptTokenSeconds;
        Assert.Equal((model.StepSeconds(BatchShape.Of(1000, 0, false)) + server) * 1000, result.TtftMs!.Value, 3);
        var firstDecode = model.StepSeconds(BatchShape.Of(1, 1000, true)) * 1000;
        var lastDecode = model.StepSeconds(BatchShape.Of(1, 1048, true)) * 1000;
        Assert.InRange(result.ItlMs!.Value, firstDecode, lastDecode);
        Assert.True(result.Fits);
        Assert.Equal("concurrency", result.Mode);
    }

    [Fact]
    public void A_served_pytorch_backend_run_pays_trtllm_serves_first_token_cost_and_an_offline_one_does_not()
    {
        var pytorch = SmallTensorRtEngine with { TensorRtEngine = false };
        EstimateResult Run(bool served) => Estimator.Run(new EstimateOptions
        {
            Engine = pytorch, InputTokens = 1000, OutputTokens = 50, Requests = 1, Concurrency = served ? 1 : null,
        });
        // One request alone either way: the same prefill step, and the server's cost (its own and its tokenizing of the
        // 1,000-token prompt) only where a server answers.
        var server = (EngineProfiles.Trtllm.PyTorchServerFirstTokenSeconds + 1000 * EngineProfiles.Trtllm.PromptTokenSeconds) * 1000;
        Assert.True(server > 0);
        Assert.Equal(server, Run(served: true).TtftMs!.Value - Run(served: false).TtftMs!.Value, 3);
    }

    [Fact]
    public void More_concurrency_raises_throughput_and_latency()
    {
        EstimateResult At(int c) => Estimator.Run(new EstimateOptions { Engine = Small, InputTokens = 512, OutputTokens = 128, Concurrency = c, Requests = 64 });
        var low = At(2);
        var high = At(32);
        Assert.True(high.OutputTokensPerSecond > 4 * low.OutputTokensPerSecond);
        Assert.True(high.ItlMs > low.ItlMs);
    }

    [Fact]
    public void A_closed_loop_whose_requests_end_together_waits_longer_for_the_first_token_when_a_step_takes_more_of_their_prompts()
    {
        // Fixed lengths: clients whose prompts share a step finish together and send again together. Four 2000-token
        // prompts fit 8192 tokens, sixteen fit 32768 (the older NIM's engines): the wave waits on a larger step, while the
        // work per request, and so the throughput, stays about the same.
        EstimateResult With(int tokens) => Estimator.Run(new EstimateOptions
        {
            Engine = SmallTensorRtEngine with { MaxNumBatchedTokens = tokens }, InputTokens = 2000, OutputTokens = 200, Concurrency = 100,
            Admission = DisaggServing.Engine.Scheduling.AdmissionPolicy.ReserveFull,
        });
        var small = With(8192);
        var large = With(32768);
        Assert.True(large.TtftMeanMs > 2 * small.TtftMeanMs, $"TTFT {small.TtftMeanMs:F0} → {large.TtftMeanMs:F0} ms");
        Assert.True(large.ItlMeanMs < small.ItlMeanMs);
        Assert.InRange(large.OutputTokensPerSecond!.Value / small.OutputTokensPerSecond!.Value, 0.95, 1.05);
    }

    [Fact]
    public void A_served_tensorrt_engines_front_end_holds_each_request_in_turn_so_a_lone_one_pays_it_and_a_wave_reaches_the_engine_spread()
    {
        EngineSpec With(double frontEnd) => SmallTensorRtEngine with { Engine = EngineProfiles.Trtllm with { TensorRtEngineServerSeconds = frontEnd } };
        EstimateResult Run(double frontEnd, int clients) => Estimator.Run(new EstimateOptions
        {
            Engine = With(frontEnd), InputTokens = 200, OutputTokens = 200, Concurrency = clients,
            Admission = DisaggServing.Engine.Scheduling.AdmissionPolicy.ReserveFull,
        });
        Assert.Equal(1.5e-3, EngineProfiles.Trtllm.TensorRtEngineServerSeconds);
        // One client: the front end's time on every first token, nothing else moves.
        var lone = Run(1.5e-3, 1);
        var bare = Run(0, 1);
        Assert.Equal(1.5, lone.TtftMs!.Value - bare.TtftMs!.Value, 3);
        Assert.Equal(bare.ItlMs!.Value, lone.ItlMs!.Value, 6);
        // A hundred clients whose requests end together: without a front end they send and wait as one wave, each
        // prompt behind the others' in one step; through it they reach the engine 1.5 ms apart and wait less.
        var wave = Run(0, 100);
        var spread = Run(1.5e-3, 100);
        Assert.True(spread.TtftMeanMs < 0.85 * wave.TtftMeanMs, $"TTFT {wave.TtftMeanMs:F1} → {spread.TtftMeanMs:F1} ms");
    }

    [Fact]
    public void A_served_tensorrt_engine_streams_its_tokens_and_pays_for_them_where_an_offline_run_does_not()
    {
        // The same 64 requests of one wave, offline and as 64 clients: a closed loop streams, so every step carries
        // each running request's response, and the run takes that much longer.
        var offline = Estimator.Run(new EstimateOptions { Engine = SmallTensorRtEngine, InputTokens = 128, OutputTokens = 256, Requests = 64 });
        var served = Estimator.Run(new EstimateOptions
        {
            Engine = SmallTensorRtEngine, InputTokens = 128, OutputTokens = 256, Concurrency = 64, Requests = 64, Measure = MeasureWindow.All,
        });
        var streamed = 256 * 64 * EngineProfiles.Trtllm.TensorRtEngineStreamedSequenceSeconds;
        Assert.InRange(served.SimulatedSeconds - offline.SimulatedSeconds, 0.5 * streamed, 1.5 * streamed);
    }

    [Fact]
    public void Offline_queues_everything_at_once()
    {
        var result = Estimator.Run(new EstimateOptions { Engine = Small, InputTokens = 128, OutputTokens = 128, Requests = 300 });
        Assert.Equal("offline", result.Mode);
        Assert.Equal(300, result.Requests);
        Assert.Equal(300 * 128 / result.SimulatedSeconds, result.OutputTokensPerSecond!.Value, 6);
        // With 300 requests at t=0 most wait behind the first batch: the median TTFT is well above one prefill.
        Assert.True(result.TtftMs > new StepTimeModel(Small).StepSeconds(BatchShape.Of(128, 0, false)) * 1000);
    }

    [Fact]
    public void Same_options_give_the_same_estimate()
    {
        var options = new EstimateOptions { Engine = Small, InputTokens = 300, OutputTokens = 100, Concurrency = 8 };
        var a = Estimator.Run(options) with { WallSeconds = 0 };
        var b = Estimator.Run(options) with { WallSeconds = 0 };
        Assert.Equal(a, b);
    }

    [Fact]
    public void A_model_that_does_not_fit_reports_why_instead_of_running()
    {
        var glm = new EngineSpec { Model = ModelCatalog.Glm5Fp8, Gpu = GpuCatalog.H100Sxm, TensorParallel = 8, WeightDtype = DType.Fp8 };
        var result = Estimator.Run(new EstimateOptions { Engine = glm, InputTokens = 100, OutputTokens = 10, Concurrency = 1 });
        Assert.False(result.Fits);
        Assert.Contains("TP=8 PP=2", result.FitError);
        Assert.Null(result.TtftMs);
    }

    [Theory]
    [InlineData(0, 10, 1, "--isl")]
    [InlineData(10, -1, 1, "--osl")]
    [InlineData(10, 10, 0, "--concurrency")]
    public void Bad_sizes_name_the_option(int isl, int osl, int concurrency, string option)
    {
        var error = Assert.Throws<InputException>(() =>
            Estimator.Run(new EstimateOptions { Engine = Small, InputTokens = isl, OutputTokens = osl, Concurrency = concurrency }));
        Assert.Contains(option, error.Message);
    }

    [Fact]
    public void Offline_without_a_request_count_is_an_error() =>
        Assert.Contains("--requests", Assert.Throws<InputException>(() =>
            Estimator.Run(new EstimateOptions { Engine = Small, InputTokens = 1, OutputTokens = 1 })).Message);

    [Fact]
    public void A_request_larger_than_the_kv_cache_is_an_error()
    {
        var error = Assert.Throws<InputException>(() =>
            Estimator.Run(new EstimateOptions { Engine = Small, InputTokens = 100_000_000, OutputTokens = 1, Concurrency = 1 }));
        Assert.Contains("KV cache", error.Message);
    }
}
