using DisaggServing.Engine.Calibration;
using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Estimation;
using DisaggServing.Engine.Performance;
using DisaggServing.Engine.Workloads;

namespace DisaggServing.Engine.Tests.Estimation;

public class BenchmarkDefaultsTests
{
    private static EngineSpec Trtllm(int tp = 2, bool dep = false) => new()
    {
        Model = dep ? ModelCatalog.Get("nvidia/Qwen3-235B-A22B-FP8") : ModelCatalog.Llama33_70B, Gpu = GpuCatalog.H200Sxm, TensorParallel = tp,
        WeightDtype = DType.Fp8, Engine = EngineProfiles.Trtllm, ExpertParallel = dep ? tp : 1, AttentionDataParallel = dep,
    };

    [Fact]
    public void An_offline_trtllm_run_takes_the_limits_trtllm_bench_sizes_from_its_lengths_and_chunks_prompts()
    {
        var engine = Trtllm();
        var (seqs, tokens, chunked) = BenchmarkDefaults.Limits(engine, offline: true, 8192, 1024);
        Assert.Equal(TrtllmBenchHeuristic.Limits(engine.Model, engine.Gpu, 2, DType.Fp8, DType.Fp8, 8192, 1024), (seqs, tokens));
        Assert.True(chunked);
        // Longer requests fit fewer at once, so the batch shrinks with the lengths.
        Assert.True(BenchmarkDefaults.Limits(engine, offline: true, 1000, 1000).MaxNumSeqs > seqs);
    }

    [Fact]
    public void A_served_trtllm_run_and_every_vllm_run_keep_the_engines_own_limits()
    {
        var served = Trtllm();
        Assert.Equal((2048, 8192, false), BenchmarkDefaults.Limits(served, offline: false, 8192, 1024));
        var vllm = served with { Engine = EngineProfiles.Vllm };
        Assert.Equal((vllm.Engine.DefaultMaxNumSeqs(vllm.Gpu), vllm.Engine.DefaultMaxNumBatchedTokens(vllm.Gpu), true),
            BenchmarkDefaults.Limits(vllm, offline: true, 8192, 1024));
    }

    [Fact]
    public void An_offline_run_of_a_release_before_the_heuristic_takes_trtllm_bench_builds_packaged_limits()
    {
        // v0.12 to v0.14 built their TensorRT engines from benchmark_config.yml: Llama-3-70B at TP1, 2,048 sequences and
        // 2,048 tokens whatever the lengths; a model the table lacks, TensorRT-LLM's BuildConfig defaults.
        var llama3 = new EngineSpec
        {
            Model = ModelCatalog.Get("meta-llama/Meta-Llama-3-70B"), Gpu = GpuCatalog.H100Sxm, TensorParallel = 1, WeightDtype = DType.Fp8,
            Engine = EngineProfiles.Trtllm,
        }.AsReleased(new EngineRelease(0, 13, 0));
        Assert.True(llama3.TensorRtEngine);
        Assert.Equal((2048, 2048, true), BenchmarkDefaults.Limits(llama3, offline: true, 500, 2000));
        Assert.Equal((2048, 8192, true), BenchmarkDefaults.Limits(llama3 with { Model = ModelCatalog.Llama31_8B }, offline: true, 500, 2000));
        Assert.Equal((2048, 2048, true), BenchmarkDefaults.Limits(llama3 with { Release = new EngineRelease(0, 14, 0) }, offline: true, 500, 2000));
        // From v0.15 trtllm-bench sizes them from the dataset; the same release served keeps the engine's limits.
        var v015 = llama3 with { Release = new EngineRelease(0, 15, 0) };
        var (seqs, tokens, _) = BenchmarkDefaults.Limits(v015, offline: true, 500, 2000);
        Assert.Equal(TrtllmBenchHeuristic.Limits(v015.Model, v015.Gpu, 1, DType.Fp8, DType.Fp8, 500, 2000), (seqs, tokens));
        Assert.Equal((2048, 8192, false), BenchmarkDefaults.Limits(llama3, offline: false, 500, 2000));
    }

    [Fact]
    public void A_vllm_release_before_v1_takes_the_v0_schedulers_limits()
    {
        // V0: 256 sequences; a context above 32K chunks prompts 2,048 tokens a step, a shorter one (or a windowed or MLA
        // model) schedules whole prompts in steps of its context.
        static EngineSpec V0(string model) => new EngineSpec
        {
            Model = ModelCatalog.Get(model), Gpu = GpuCatalog.H100Sxm, TensorParallel = 1, Engine = EngineProfiles.Vllm,
        }.AsReleased(new EngineRelease(0, 7, 2));
        Assert.Equal((256, 2048, true), BenchmarkDefaults.Limits(V0("deepseek-ai/DeepSeek-R1-Distill-Llama-8B"), offline: false, 512, 256));
        Assert.Equal((256, 32768, false), BenchmarkDefaults.Limits(V0("Qwen/Qwen2.5-7B-Instruct"), offline: false, 512, 256));
        Assert.Equal((256, 131072, false), BenchmarkDefaults.Limits(V0("google/gemma-3-12b-it"), offline: true, 512, 256));
        // V1 (0.8 on) keeps the profile's: 1,024 sequences and 8,192 tokens on an H100.
        var v1 = V0("deepseek-ai/DeepSeek-R1-Distill-Llama-8B") with { VllmV0 = false, Release = new EngineRelease(0, 8, 0) };
        Assert.Equal((1024, 8192, true), BenchmarkDefaults.Limits(v1, offline: false, 512, 256));
    }

    [Fact]
    public void Under_attention_dp_trtllm_bench_sizes_each_rank()
    {
        var dep = Trtllm(tp: 4, dep: true);
        var perRank = TrtllmBenchHeuristic.Limits(dep.Model, dep.Gpu, 4, DType.Fp8, DType.Fp8, 1024, 1024);
        var (seqs, tokens, _) = BenchmarkDefaults.Limits(dep, offline: true, 1024, 1024);
        Assert.Equal((perRank.MaxBatchSize * 4, perRank.MaxNumTokens * 4), (seqs, tokens));
    }

    [Fact]
    public void A_served_trtllm_replica_under_attention_dp_takes_the_engines_limits_on_every_rank()
    {
        // Each rank's executor has its own max_batch_size (2,048) and max_num_tokens (8,192): four ranks hold four times them.
        var dep = Trtllm(tp: 4, dep: true);
        Assert.Equal((4 * 2048, 4 * 8192, false), BenchmarkDefaults.Limits(dep, offline: false, 1024, 1024));
        // SGLang divides its chunked-prefill size among the ranks instead: the replica keeps the engine's limits.
        var sglang = dep with { Engine = EngineProfiles.Sglang };
        Assert.Equal(sglang.Engine.DefaultMaxNumBatchedTokens(sglang.Gpu), BenchmarkDefaults.Limits(sglang, offline: false, 1024, 1024).MaxNumBatchedTokens);
        Assert.Equal(1, EngineProfiles.Trtllm.DefaultLimitRanks(attentionDataParallel: false, tensorParallel: 4));
    }

    [Fact]
    public void Each_engine_measures_and_warms_as_its_own_benchmark_does()
    {
        // genai-perf's steady state for NIM's TensorRT engines; TensorRT-LLM's benchmark_serving for trtllm-serve, vllm bench
        // serve and SGLang's bench_serving count every request.
        Assert.Equal((MeasureWindow.Steady, 0), (BenchmarkDefaults.Measure(Trtllm() with { TensorRtEngine = true }), BenchmarkDefaults.WarmPrompts(EngineProfiles.Trtllm)));
        Assert.Equal(MeasureWindow.All, BenchmarkDefaults.Measure(Trtllm()));
        // NIM is measured with genai-perf whatever its backend: its 1.15+ PyTorch backend too.
        Assert.Equal(MeasureWindow.Steady, BenchmarkDefaults.Measure(Trtllm() with { Nim = true }));
        Assert.Equal(MeasureWindow.Steady, BenchmarkDefaults.Measure((Trtllm() with { Nim = true }).AsReleased(new EngineRelease(1, 8, 0))));
        // NIM 1.0's genai-perf measured from the load's start, the first wave and its queue counted in.
        Assert.Equal(MeasureWindow.FromStart, BenchmarkDefaults.Measure((Trtllm() with { Nim = true }).AsReleased(new EngineRelease(1, 0, 3))));
        Assert.Equal((MeasureWindow.All, 0), (BenchmarkDefaults.Measure(Trtllm() with { Engine = EngineProfiles.Vllm }), BenchmarkDefaults.WarmPrompts(EngineProfiles.Vllm)));
        Assert.Equal((MeasureWindow.All, 1), (BenchmarkDefaults.Measure(Trtllm() with { Engine = EngineProfiles.Sglang }), BenchmarkDefaults.WarmPrompts(EngineProfiles.Sglang)));
    }

    [Fact]
    public void A_closed_loop_measured_whole_sends_its_clients_default_prompt_count_and_a_steady_one_enough_waves()
    {
        // vllm bench serve, bench_serving and trtllm-serve's benchmark_serving send 1,000 prompts unless told; genai-perf
        // measures a steady state, eight waves of the concurrency (at least 64) after a warm-up wave.
        Assert.Equal(1000, BenchmarkDefaults.ClosedLoopRequests(MeasureWindow.All, 4));
        Assert.Equal((64, 800), (BenchmarkDefaults.ClosedLoopRequests(MeasureWindow.Steady, 4), BenchmarkDefaults.ClosedLoopRequests(MeasureWindow.Steady, 100)));
        var vllm = new EstimateOptions
        {
            Engine = Trtllm(tp: 1) with { Engine = EngineProfiles.Vllm, Model = ModelCatalog.Llama31_8B, WeightDtype = DType.Bf16 },
            InputTokens = 128, OutputTokens = 16, Concurrency = 8, Measure = MeasureWindow.All,
        };
        Assert.Equal(1000, Estimator.Run(vllm).Requests);
    }

    [Fact]
    public void The_mean_lengths_of_a_drawn_workload_are_those_of_the_requests_it_draws()
    {
        var (input, output) = BenchmarkDefaults.MeanLengths(0, 0, WorkloadSpec.Uniform(1, 2000, 1, 200), 500, seed: 3);
        Assert.InRange(input, 900, 1100);
        Assert.InRange(output, 90, 110);
        Assert.Equal((128d, 64d), BenchmarkDefaults.MeanLengths(128, 64, null, 500, seed: 0));
    }

    [Fact]
    public void A_long_prompt_offline_trtllm_run_at_its_benchmark_limits_is_not_starved_as_at_the_engine_defaults()
    {
        // 8,192-token prompts fill an unchunked 8,192-token step alone: at the engine's serving defaults one request
        // runs at a time; trtllm-bench's own limits chunk them behind a full decode batch.
        var engine = Trtllm();
        var (seqs, tokens, chunked) = BenchmarkDefaults.Limits(engine, offline: true, 8192, 1024);
        EstimateOptions Run(EngineSpec e) => new() { Engine = e, InputTokens = 8192, OutputTokens = 1024, Requests = 100, Admission = DisaggServing.Engine.Scheduling.AdmissionPolicy.ReserveFull };
        var bench = Estimator.Run(Run(engine with { MaxNumSeqs = seqs, MaxNumBatchedTokens = tokens, EnableChunkedPrefill = chunked }));
        var served = Estimator.Run(Run(engine with { MaxNumSeqs = 2048, MaxNumBatchedTokens = 8192, EnableChunkedPrefill = false }));
        Assert.True(bench.OutputTokensPerSecond > 5 * served.OutputTokensPerSecond, $"bench {bench.OutputTokensPerSecond} vs served {served.OutputTokensPerSecond}");
    }

    [Fact]
    public void Sglang_with_speculative_decoding_runs_at_most_48_requests_unless_told_while_vllm_keeps_its_limit()
    {
        // SGLang resets an unset --max-running-requests to 48 for any speculative algorithm, the replica's whatever its
        // attention-DP ranks; vLLM keeps max_num_seqs.
        var mtp = new SpeculativeDecoding(SpeculativeMethod.Mtp, 3, 3.3);
        var sglang = Trtllm(tp: 8, dep: true) with { Engine = EngineProfiles.Sglang, Speculative = mtp };
        Assert.Equal(48, BenchmarkDefaults.Limits(sglang, offline: false, 1000, 1000).MaxNumSeqs);
        Assert.Equal(48, BenchmarkDefaults.Limits(sglang with { AttentionDataParallel = false, ExpertParallel = 1 }, offline: true, 1000, 1000).MaxNumSeqs);
        Assert.Equal(sglang.Engine.DefaultMaxNumSeqs(sglang.Gpu), BenchmarkDefaults.Limits(sglang with { Speculative = null }, offline: false, 1000, 1000).MaxNumSeqs);
        var vllm = sglang with { Engine = EngineProfiles.Vllm, AttentionDataParallel = false, ExpertParallel = 1 };
        Assert.Equal(vllm.Engine.DefaultMaxNumSeqs(vllm.Gpu), BenchmarkDefaults.Limits(vllm, offline: false, 1000, 1000).MaxNumSeqs);
    }
}
