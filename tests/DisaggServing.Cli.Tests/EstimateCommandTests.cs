using System.Text.Json;
using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Estimation;
using DisaggServing.Engine.Performance;
using DisaggServing.Engine.Scheduling;
using DisaggServing.Engine.Workloads;

namespace DisaggServing.Cli.Tests;

public class EstimateCommandTests
{
    private const string Base = $"estimate --model {Samples.Model} --gpu {Samples.Gpu} --tp 1 --isl 128 --osl 64";

    private static (CliRun Run, FakeEngineRunner Engine) Estimate(string commandLine, FakeEngineRunner? engine = null)
    {
        engine ??= new FakeEngineRunner();
        return (CliRun.Of(engine, CliRun.Args(commandLine)), engine);
    }

    [Fact]
    public void Defaults_follow_the_vllm_profile()
    {
        var (run, engine) = Estimate($"{Base} --concurrency 8");
        Assert.Equal(0, run.ExitCode);
        var options = engine.EstimateOptions!;
        Assert.Equal(Samples.Model, options.Engine.Model.Id);
        Assert.Equal(Samples.Gpu, options.Engine.Gpu.Id);
        Assert.Equal(1, options.Engine.TensorParallel);
        Assert.Equal(1, options.Engine.PipelineParallel);
        Assert.Equal(DType.Bf16, options.Engine.WeightDtype);
        Assert.Null(options.Engine.KvCacheDtype);
        Assert.Equal(ServingEngine.Vllm, options.Engine.Engine.Engine);
        Assert.Equal(1024, options.Engine.MaxNumSeqs);
        Assert.Equal(8192, options.Engine.MaxNumBatchedTokens);
        Assert.True(options.Engine.EnableChunkedPrefill);
        Assert.Null(options.Engine.GpuMemoryUtilization); // unset: the engine's own default
        Assert.Equal(0.9, options.Engine.EffectiveGpuMemoryUtilization);
        Assert.Equal(AdmissionPolicy.OnDemand, options.Admission);
        Assert.Equal((128, 64, 8), (options.InputTokens, options.OutputTokens, options.Concurrency));
        Assert.Null(options.Requests);
    }

    [Fact]
    public void An_offline_trtllm_estimate_given_no_limits_takes_trtllm_benchs_own_and_a_limit_given_wins()
    {
        const string Offline = "--engine trtllm --dtype fp8 --isl 8192 --osl 1024 --offline --requests 100";
        var (run, engine) = Estimate($"estimate --model nvidia/Llama-3.3-70B-Instruct-FP8 --gpu h200-sxm --tp 2 {Offline}");
        Assert.Equal(0, run.ExitCode);
        var spec = engine.EstimateOptions!.Engine;
        var (batch, tokens) = TrtllmBenchHeuristic.Limits(spec.Model, spec.Gpu, 2, DType.Fp8, DType.Fp8, 8192, 1024);
        Assert.Equal((batch, tokens, true), (spec.MaxNumSeqs, spec.MaxNumBatchedTokens, spec.EnableChunkedPrefill));

        var (_, given) = Estimate($"estimate --model nvidia/Llama-3.3-70B-Instruct-FP8 --gpu h200-sxm --tp 2 {Offline} --max-num-seqs 32 --chunked-prefill off");
        var limited = given.EstimateOptions!.Engine;
        Assert.Equal((32, tokens, false), (limited.MaxNumSeqs, limited.MaxNumBatchedTokens, limited.EnableChunkedPrefill));

        // Served (closed loop), TensorRT-LLM keeps the engine's own limits.
        var (_, served) = Estimate($"estimate --model nvidia/Llama-3.3-70B-Instruct-FP8 --gpu h200-sxm --tp 2 --engine trtllm --isl 8192 --osl 1024 --concurrency 8");
        Assert.Equal((2048, 8192, false), (served.EstimateOptions!.Engine.MaxNumSeqs, served.EstimateOptions.Engine.MaxNumBatchedTokens, served.EstimateOptions.Engine.EnableChunkedPrefill));

        // Under attention DP those limits are each rank's: eight ranks hold eight times them, unless told.
        const string Dep = "estimate --model nvidia/DeepSeek-R1-0528-FP4 --gpu b200 --tp 8 --engine trtllm --ep 8 --attention-dp --isl 1024 --osl 2048 --concurrency 4096";
        var (_, dep) = Estimate(Dep);
        Assert.Equal((8 * 2048, 8 * 8192), (dep.EstimateOptions!.Engine.MaxNumSeqs, dep.EstimateOptions.Engine.MaxNumBatchedTokens));
        var (_, depGiven) = Estimate($"{Dep} --max-num-batched-tokens 16384");
        Assert.Equal((8 * 2048, 16384), (depGiven.EstimateOptions!.Engine.MaxNumSeqs, depGiven.EstimateOptions.Engine.MaxNumBatchedTokens));
    }

    [Fact]
    public void An_engine_version_brings_the_batch_limits_its_benchmark_ran_with()
    {
        // TensorRT-LLM v0.13's trtllm-bench built Llama-3-70B on one H100 at its packaged 2,048 sequences and 2,048 tokens.
        var (run, old) = Estimate("estimate --model meta-llama/Meta-Llama-3-70B --gpu h100-sxm --tp 1 --engine trtllm --engine-version 0.13 --dtype fp8 --isl 500 --osl 2000 --offline");
        Assert.Equal(0, run.ExitCode);
        var spec = old.EstimateOptions!.Engine;
        Assert.Equal((true, 2048, 2048, true), (spec.TensorRtEngine, spec.MaxNumSeqs, spec.MaxNumBatchedTokens, spec.EnableChunkedPrefill));
        // v0.14's too, as its perf overview (v0.13's cells within ±5%) shows; v0.15's sized them from the lengths: 64 and 2,048.
        var (_, v014) = Estimate("estimate --model meta-llama/Meta-Llama-3-70B --gpu h100-sxm --tp 1 --engine trtllm --engine-version 0.14 --dtype fp8 --isl 500 --osl 2000 --offline");
        Assert.Equal((2048, 2048), (v014.EstimateOptions!.Engine.MaxNumSeqs, v014.EstimateOptions.Engine.MaxNumBatchedTokens));
        var (_, v015) = Estimate("estimate --model meta-llama/Meta-Llama-3-70B --gpu h100-sxm --tp 1 --engine trtllm --engine-version 0.15 --dtype fp8 --isl 500 --osl 2000 --offline");
        Assert.Equal((64, 2048), (v015.EstimateOptions!.Engine.MaxNumSeqs, v015.EstimateOptions.Engine.MaxNumBatchedTokens));
        // vLLM 0.7.2's V0 engine: 256 sequences, 2,048-token chunks for a 128K-context model.
        var (_, v0) = Estimate("estimate --model deepseek-ai/DeepSeek-R1-Distill-Llama-8B --gpu h100-sxm --tp 1 --engine vllm --engine-version 0.7.2 --isl 512 --osl 256 --concurrency 8");
        var v0Spec = v0.EstimateOptions!.Engine;
        Assert.Equal((true, 256, 2048, true), (v0Spec.VllmV0, v0Spec.MaxNumSeqs, v0Spec.MaxNumBatchedTokens, v0Spec.EnableChunkedPrefill));
        Assert.False(v0Spec.SerialOutputProcessing);
        // TensorRT-LLM 0.9's TensorRT engines decode a GQA model without XQA unless told (TRTLLM_ENABLE_XQA=1: --xqa on),
        // which serves Llama-2-70B's shape.
        var (_, v09) = Estimate("estimate --model mistralai/Mistral-7B-v0.1 --gpu h200-sxm --tp 1 --engine trtllm --engine-version 0.9.0 --dtype fp8 --isl 128 --osl 128 --offline");
        Assert.True(v09.EstimateOptions!.Engine.MaskedMhaDecodesGqa);
        var (_, v09Xqa) = Estimate("estimate --model meta-llama/Llama-2-70b-hf --gpu h200-sxm --tp 1 --engine trtllm --engine-version 0.9.0 --dtype fp8 --xqa on --isl 128 --osl 128 --offline");
        Assert.False(v09Xqa.EstimateOptions!.Engine.MaskedMhaDecodesGqa);
        // Before 0.6 the same engine processes a step's outputs before launching the next.
        var (_, v054) = Estimate("estimate --model deepseek-ai/DeepSeek-R1-Distill-Llama-8B --gpu h100-sxm --tp 1 --engine vllm --engine-version 0.5.4 --isl 512 --osl 256 --concurrency 8");
        Assert.True(v054.EstimateOptions!.Engine is { VllmV0: true, SerialOutputProcessing: true });
    }

    [Theory]
    [InlineData("--isl 128 --osl 128 --offline", 30000)]
    [InlineData("--isl 1000 --osl 1000 --offline", 3000)]
    [InlineData("--isl 8192 --osl 1024 --offline", 1500)]
    [InlineData("--isl 128 --osl 128 --request-rate 4", 1000)]
    [InlineData("--isl 128 --osl 128 --offline --requests 77", 77)]
    public void Offline_and_rate_runs_given_no_request_count_take_their_benchmarks(string load, int expected)
    {
        var (run, engine) = Estimate($"estimate --model {Samples.Model} --gpu {Samples.Gpu} --tp 1 {load}");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(expected, engine.EstimateOptions!.Requests);
    }

    [Theory]
    [InlineData("vllm", "", MeasureWindow.All, 0)]
    [InlineData("sglang", "", MeasureWindow.All, 1)]
    [InlineData("trtllm", "", MeasureWindow.All, 0)]
    [InlineData("nim", "", MeasureWindow.Steady, 0)]
    [InlineData("trtllm", "--trtllm-backend tensorrt", MeasureWindow.Steady, 0)]
    [InlineData("sglang", "--measure steady --warm-prompts 0", MeasureWindow.Steady, 0)]
    [InlineData("trtllm", "--measure steady --warm-prompts 3", MeasureWindow.Steady, 3)]
    [InlineData("nim", "--measure all", MeasureWindow.All, 0)]
    [InlineData("nim", "--engine-version 1.0.3", MeasureWindow.FromStart, 0)]
    [InlineData("nim", "--engine-version 1.0.3 --measure steady", MeasureWindow.Steady, 0)]
    [InlineData("vllm", "--measure from-start", MeasureWindow.FromStart, 0)]
    public void Each_engine_measures_and_warms_as_its_own_benchmark_unless_told(string engineName, string flags, MeasureWindow measure, int warm)
    {
        var (run, engine) = Estimate($"{Base} --engine {engineName} --concurrency 8 {flags}");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal((measure, warm), (engine.EstimateOptions!.Measure, engine.EstimateOptions.WarmPrompts));
    }

    [Fact]
    public void A_measurement_interval_measures_a_from_start_run_by_perf_analyzers_time_windows()
    {
        var (run, engine) = Estimate($"{Base} --concurrency 8 --measure from-start --measurement-interval 60000");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal((MeasureWindow.FromStart, 60_000.0, (int?)null), (engine.EstimateOptions!.Measure, engine.EstimateOptions.MeasurementIntervalMs, engine.EstimateOptions.Requests));
        Assert.Null(Estimate($"{Base} --concurrency 8 --measure from-start").Engine.EstimateOptions!.MeasurementIntervalMs);
    }

    [Theory]
    [InlineData("--concurrency 8 --measure from-start --measurement-interval 60000 --requests 100", "--requests")]
    [InlineData("--concurrency 8 --measurement-interval 60000", "--measure from-start")]
    [InlineData("--concurrency 8 --measure steady --measurement-interval 60000", "--measure from-start")]
    [InlineData("--offline --measurement-interval 60000", "--measure from-start")]
    [InlineData("--concurrency 8 --measure from-start --measurement-interval 0", "--measurement-interval")]
    public void A_measurement_interval_outside_a_from_start_closed_loop_or_beside_a_request_count_exits_2_naming_the_fix(string flags, string named)
    {
        var (run, engine) = Estimate($"{Base} {flags}");
        AssertBadInput(run, named);
        Assert.Equal(0, engine.Calls);
    }

    [Fact]
    public void An_engine_version_runs_that_releases_defaults_and_each_flag_still_wins()
    {
        const string gptOss = "estimate --model openai/gpt-oss-120b --gpu h200-sxm --tp 2 --isl 1024 --osl 1024 --concurrency 8";
        var (run, engine) = Estimate($"{gptOss} --engine vllm --engine-version 0.11.0");
        Assert.True(run.ExitCode == 0, run.ToString());
        var spec = engine.EstimateOptions!.Engine;
        Assert.Equal((true, false, MoeBackend.Marlin, new EngineRelease(0, 11, 0)), (spec.SynchronousScheduling, spec.VllmV0, spec.MoeBackend, spec.Release));

        (run, engine) = Estimate($"{gptOss} --engine vllm --engine-version 0.11.0 --async-scheduling on --moe-backend auto");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal((false, (MoeBackend?)null), (engine.EstimateOptions!.Engine.SynchronousScheduling, engine.EstimateOptions.Engine.MoeBackend));

        (run, engine) = Estimate($"{Base} --engine trtllm --engine-version v0.13 --concurrency 8");
        Assert.True(run.ExitCode == 0, run.ToString());
        // TensorRT engines, measured as genai-perf measures them.
        Assert.Equal((true, MeasureWindow.Steady), (engine.EstimateOptions!.Engine.TensorRtEngine, engine.EstimateOptions.Measure));
        (run, engine) = Estimate($"{Base} --engine trtllm --engine-version 0.19 --trtllm-backend pytorch --concurrency 8");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal((false, MeasureWindow.All), (engine.EstimateOptions!.Engine.TensorRtEngine, engine.EstimateOptions.Measure));
    }

    [Theory]
    [InlineData("--engine-version latest", "--engine-version")]
    [InlineData("--engine-version 0.5.4 --vllm-engine v0 --async-scheduling on", "--async-scheduling on")]
    public void A_release_that_is_not_one_or_contradicts_a_flag_exits_2_naming_it(string flags, string named)
    {
        var (run, engine) = Estimate($"{Base} --concurrency 8 {flags}");
        AssertBadInput(run, named);
        Assert.Equal(0, engine.Calls);
    }

    [Theory]
    [InlineData("", ApiEndpoint.Completions)]
    [InlineData("--endpoint chat", ApiEndpoint.Chat)]
    [InlineData("--endpoint /v1/chat/completions", ApiEndpoint.Chat)]
    [InlineData("--endpoint completions", ApiEndpoint.Completions)]
    public void Requests_go_to_the_completions_endpoint_as_the_benchmarks_send_them_unless_told(string flags, ApiEndpoint expected)
    {
        var (run, engine) = Estimate($"{Base} --concurrency 8 {flags}");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(expected, engine.EstimateOptions!.Endpoint);
    }

    [Fact]
    public void Vllms_auto_and_fp8_e4m3_spellings_are_accepted_for_the_formats()
    {
        var (run, engine) = Estimate($"{Base} --dtype auto --kv-cache-dtype fp8_e4m3 --concurrency 8");
        Assert.Equal(0, run.ExitCode);
        var spec = engine.EstimateOptions!.Engine;
        Assert.Equal(DType.Bf16, spec.WeightDtype);
        Assert.Equal(DType.Fp8, spec.EffectiveKvDtype);
        var (auto, autoEngine) = Estimate($"{Base} --engine trtllm --dtype fp8 --kv-cache-dtype auto --concurrency 8");
        Assert.Equal(0, auto.ExitCode);
        Assert.Null(autoEngine.EstimateOptions!.Engine.KvCacheDtype);
        Assert.Equal(DType.Fp8, autoEngine.EstimateOptions!.Engine.EffectiveKvDtype);
    }

    [Fact]
    public void Trtllm_takes_its_own_scheduler_defaults_and_fp8_kv()
    {
        var (run, engine) = Estimate($"{Base} --engine trtllm --dtype fp8 --concurrency 8");
        Assert.Equal(0, run.ExitCode);
        var spec = engine.EstimateOptions!.Engine;
        Assert.Equal(ServingEngine.Trtllm, spec.Engine.Engine);
        Assert.Equal((2048, 8192), (spec.MaxNumSeqs, spec.MaxNumBatchedTokens));
        Assert.Equal(DType.Fp8, spec.EffectiveKvDtype);
        Assert.Equal(AdmissionPolicy.ReserveFull, engine.EstimateOptions!.Admission);

        // gpt-oss's MXFP4 checkpoint declares no KV format, so TensorRT-LLM's "auto" keeps BF16 (the perf overview's
        // Hopper runs); an FP8 cache is asked for, as its B200 options files do.
        var (_, gptOss) = Estimate("estimate --model openai/gpt-oss-120b --gpu h200-sxm --tp 1 --engine trtllm --isl 1024 --osl 1024 --concurrency 8");
        Assert.Equal(DType.Bf16, gptOss.EstimateOptions!.Engine.EffectiveKvDtype);
        var (_, asked) = Estimate("estimate --model openai/gpt-oss-120b --gpu b200 --tp 1 --engine trtllm --kv-cache-dtype fp8 --isl 1024 --osl 1024 --concurrency 8");
        Assert.Equal(DType.Fp8, asked.EstimateOptions!.Engine.EffectiveKvDtype);
    }

    [Fact]
    public void Vllm_keeps_a_bf16_kv_cache_under_fp8_weights_and_small_defaults_on_a100()
    {
        var (run, engine) = Estimate($"estimate --model {Samples.Model} --gpu a100-80g --tp 1 --isl 128 --osl 64 --dtype fp8 --concurrency 8");
        Assert.Equal(0, run.ExitCode);
        var spec = engine.EstimateOptions!.Engine;
        Assert.Equal(DType.Bf16, spec.EffectiveKvDtype);
        Assert.Equal((256, 2048), (spec.MaxNumSeqs, spec.MaxNumBatchedTokens));
    }

    [Theory]
    [InlineData("nim")]
    [InlineData("TensorRT-LLM")]
    [InlineData("tensorrt_llm")]
    public void Nim_and_tensorrt_llm_spellings_model_trtllm(string spelling)
    {
        var (run, engine) = Estimate($"{Base} --engine {spelling} --concurrency 8");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(ServingEngine.Trtllm, engine.EstimateOptions!.Engine.Engine.Engine);
    }

    [Fact]
    public void The_engines_and_benchmark_clients_own_flag_spellings_set_the_same_options()
    {
        var (run, engine) = Estimate(
            "estimate --model Qwen/Qwen3-235B-A22B --gpu h200-sxm --tensor-parallel-size 8 --ep-size 8 --enable-dp-attention --engine sglang "
            + "--input-len 1000 --output-len 500 --max-concurrency 16 --num-prompts 64 --max-running-requests 128 --max-num-tokens 4096 --cuda-graph-max-bs 96");
        Assert.Equal(0, run.ExitCode);
        var options = engine.EstimateOptions!;
        Assert.Equal((8, 8, true), (options.Engine.TensorParallel, options.Engine.ExpertParallel, options.Engine.AttentionDataParallel));
        Assert.Equal((1000, 500, 16, 64), (options.InputTokens, options.OutputTokens, options.Concurrency, options.Requests));
        Assert.Equal((128, 4096, (int?)96), (options.Engine.MaxNumSeqs, options.Engine.MaxNumBatchedTokens, options.Engine.CudaGraphMaxBatch));
        // vLLM's spelling of the capture size sets the same option.
        var (vllm, vllmEngine) = Estimate($"{Base} --max-cudagraph-capture-size 2048 --concurrency 8");
        Assert.Equal(0, vllm.ExitCode);
        Assert.Equal(2048, vllmEngine.EstimateOptions!.Engine.CudaGraphMaxBatch);
    }

    [Fact]
    public void A_cuda_graph_capture_of_zero_is_refused_naming_the_flag()
    {
        var (run, _) = Estimate($"{Base} --cuda-graph-max 0 --concurrency 8");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--cuda-graph-max", run.Stderr);
    }

    [Fact]
    public void Request_rate_inf_sends_every_request_at_once_to_the_served_engine_or_keeps_the_concurrency_in_flight()
    {
        // vllm bench serve's default: all 1,000 prompts sent at once to the served engine, its tokens streamed, every one
        // measured; a served TensorRT-LLM keeps its own limits (not trtllm-bench's, which --offline takes).
        var (run, engine) = Estimate($"{Base} --engine trtllm --request-rate inf");
        Assert.Equal(0, run.ExitCode);
        var options = engine.EstimateOptions!;
        Assert.Equal((null, double.PositiveInfinity, 1000, MeasureWindow.All), (options.Concurrency, options.RequestRate, options.Requests, options.Measure));
        Assert.Equal((EngineProfiles.Trtllm.MaxNumSeqs, EngineProfiles.Trtllm.MaxNumBatchedTokens), (options.Engine.MaxNumSeqs, options.Engine.MaxNumBatchedTokens));

        var (capped, cappedEngine) = Estimate($"{Base} --request-rate INF --concurrency 16 --requests 64");
        Assert.Equal(0, capped.ExitCode);
        Assert.Equal((16, (double?)null, 64), (cappedEngine.EstimateOptions!.Concurrency, cappedEngine.EstimateOptions.RequestRate, cappedEngine.EstimateOptions.Requests));

        var (both, _) = Estimate($"{Base} --request-rate inf --offline");
        Assert.Equal(2, both.ExitCode);
        Assert.Contains("--request-rate inf", both.Stderr);
    }

    [Fact]
    public void A_token_budget_below_the_sequence_limit_is_refused_for_vllm_naming_both_flags_and_taken_by_trtllm()
    {
        var (vllm, _) = Estimate($"{Base} --offline --requests 50 --max-num-seqs 2048 --max-num-batched-tokens 1536");
        Assert.Equal(2, vllm.ExitCode);
        Assert.Contains("--max-num-batched-tokens (1536) must be at least --max-num-seqs (2048) for vllm", vllm.Stderr);
        Assert.DoesNotContain("internal", vllm.Stderr);

        // TensorRT-LLM takes max_batch_size above max_num_tokens: a step runs at most the token limit's decodes.
        var (trtllm, engine) = Estimate($"{Base} --engine trtllm --offline --requests 50 --max-num-seqs 2048 --max-num-batched-tokens 1536");
        Assert.Equal(0, trtllm.ExitCode);
        Assert.Equal(1536, engine.EstimateOptions!.Engine.RunningSeqsLimit);
    }

    [Fact]
    public void An_unknown_engine_is_a_parse_error_naming_the_choices()
    {
        var (run, _) = Estimate($"{Base} --engine tgi --concurrency 8");
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--engine 'tgi' is not known; use vllm, sglang or trtllm", run.Stderr);
    }

    [Fact]
    public void Every_option_reaches_the_engine()
    {
        var (run, engine) = Estimate(
            $"estimate --model meta-llama/Llama-3.3-70B-Instruct --gpu h200-sxm --tp 4 --pp 2 --dtype fp8 --kv-cache-dtype bf16 " +
            "--isl 5000 --osl 500 --concurrency 25 --requests 300 --max-num-seqs 64 --max-num-batched-tokens 2048 " +
            "--gpu-memory-utilization 0.85 --admission on-demand --engine sglang --chunked-prefill off --mixed-chunk off --measure all");
        Assert.Equal(0, run.ExitCode);
        var options = engine.EstimateOptions!;
        Assert.Equal("meta-llama/Llama-3.3-70B-Instruct", options.Engine.Model.Id);
        Assert.Equal("h200-sxm", options.Engine.Gpu.Id);
        Assert.Equal((4, 2), (options.Engine.TensorParallel, options.Engine.PipelineParallel));
        Assert.Equal((DType.Fp8, DType.Bf16), (options.Engine.WeightDtype, options.Engine.KvCacheDtype));
        Assert.Equal((64, 2048, 0.85), (options.Engine.MaxNumSeqs, options.Engine.MaxNumBatchedTokens, options.Engine.GpuMemoryUtilization));
        Assert.Equal((5000, 500, 25, 300), (options.InputTokens, options.OutputTokens, options.Concurrency, options.Requests));
        Assert.Equal(AdmissionPolicy.OnDemand, options.Admission);
        Assert.Equal(ServingEngine.Sglang, options.Engine.Engine.Engine);
        Assert.False(options.Engine.EnableChunkedPrefill);
        Assert.False(options.Engine.EffectiveMixedPrefillDecode);
        Assert.Equal(MeasureWindow.All, options.Measure);
    }

    [Fact]
    public void Moe_backend_marlin_serves_gpt_oss_experts_through_marlin_on_hopper()
    {
        var (run, engine) = Estimate("estimate --model openai/gpt-oss-20b --gpu h100-sxm --tp 1 --isl 2000 --osl 100 --offline --requests 50 --moe-backend marlin");
        Assert.Equal(0, run.ExitCode);
        Assert.True(engine.EstimateOptions!.Engine.EffectiveMarlinMoe);
        var (auto, autoEngine) = Estimate("estimate --model openai/gpt-oss-20b --gpu h100-sxm --tp 1 --isl 2000 --osl 100 --offline --requests 50");
        Assert.Equal(0, auto.ExitCode);
        Assert.False(autoEngine.EstimateOptions!.Engine.EffectiveMarlinMoe);
    }

    [Fact]
    public void Moe_backend_cutlass_runs_tensorrt_llm_gpt_oss_experts_on_cutlass_and_is_refused_for_vllm()
    {
        var (run, engine) = Estimate("estimate --model openai/gpt-oss-120b --gpu b200 --tp 1 --engine trtllm --isl 1024 --osl 1024 --offline --requests 50 --moe-backend cutlass");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(MoeBackend.Cutlass, engine.EstimateOptions!.Engine.MoeBackend);
        var (vllm, _) = Estimate("estimate --model openai/gpt-oss-120b --gpu b200 --tp 1 --isl 1024 --osl 1024 --offline --requests 50 --moe-backend cutlass");
        Assert.Equal(2, vllm.ExitCode);
        Assert.Contains("--moe-backend cutlass applies to TensorRT-LLM's MXFP4 and NVFP4 experts", vllm.Stderr);
        var (unknown, _) = Estimate("estimate --model openai/gpt-oss-120b --gpu b200 --tp 1 --engine trtllm --isl 1024 --osl 1024 --offline --requests 50 --moe-backend deepgemm");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("use auto, marlin, cutlass, flashinfer-bf16 or flashinfer-mxfp8", unknown.Stderr);
    }

    [Fact]
    public void Moe_backend_flashinfer_picks_vllms_activation_precision_on_blackwell_and_is_refused_for_tensorrt_llm()
    {
        const string Gpt = "estimate --model openai/gpt-oss-120b --gpu b200 --tp 1 --isl 1024 --osl 1024 --offline --requests 50";
        var (auto, autoEngine) = Estimate(Gpt);
        Assert.Equal(0, auto.ExitCode);
        Assert.True(autoEngine.EstimateOptions!.Engine.Mxfp4ExpertsTakeBf16Activations);
        // vLLM's own spelling of its MXFP8 MoE backend is taken too.
        var (afp8, afp8Engine) = Estimate(Gpt + " --moe-backend flashinfer_trtllm_afp8");
        Assert.Equal(0, afp8.ExitCode);
        Assert.Equal(MoeBackend.FlashinferMxfp8, afp8Engine.EstimateOptions!.Engine.MoeBackend);
        Assert.False(afp8Engine.EstimateOptions!.Engine.Mxfp4ExpertsTakeBf16Activations);
        var (sglang, sglangEngine) = Estimate(Gpt + " --engine sglang");
        Assert.Equal(0, sglang.ExitCode);
        Assert.False(sglangEngine.EstimateOptions!.Engine.Mxfp4ExpertsTakeBf16Activations);
        var (trt, _) = Estimate(Gpt + " --engine trtllm --moe-backend flashinfer-bf16");
        Assert.Equal(2, trt.ExitCode);
        Assert.Contains("--moe-backend flashinfer-bf16 applies to vLLM's and SGLang's MXFP4 experts", trt.Stderr);
    }

    [Fact]
    public void Allreduce_fusion_on_fuses_vllm_tp_all_reduces_and_the_engine_choice_is_the_default()
    {
        const string gptOss = "estimate --model openai/gpt-oss-120b --gpu b200 --tp 2 --isl 1000 --osl 1000 --concurrency 4";
        var (fused, fusedEngine) = Estimate($"{gptOss} --allreduce-fusion on");
        Assert.Equal(0, fused.ExitCode);
        Assert.True(fusedEngine.EstimateOptions!.Engine.EffectiveAllReduceFusion);
        // vLLM fuses them by default from 0.16, not before.
        var (plain, plainEngine) = Estimate(gptOss);
        Assert.Equal(0, plain.ExitCode);
        Assert.Null(plainEngine.EstimateOptions!.Engine.AllReduceFusion);
        Assert.True(plainEngine.EstimateOptions!.Engine.EffectiveAllReduceFusion);
        var (older, olderEngine) = Estimate($"{gptOss} --engine-version 0.15.1");
        Assert.Equal(0, older.ExitCode);
        Assert.False(olderEngine.EstimateOptions!.Engine.EffectiveAllReduceFusion);
        var (sglang, sglangEngine) = Estimate($"{gptOss} --engine sglang --allreduce-fusion off");
        Assert.Equal(0, sglang.ExitCode);
        Assert.False(sglangEngine.EstimateOptions!.Engine.EffectiveAllReduceFusion);
    }

    [Fact]
    public void Trtllm_backend_tensorrt_runs_tensorrt_engines_and_the_pytorch_backend_is_the_default()
    {
        const string trt = "estimate --model meta-llama/Llama-3.1-8B-Instruct --gpu b200 --tp 1 --engine trtllm --isl 1000 --osl 100 --concurrency 1 --requests 5";
        var (engines, enginesEngine) = Estimate($"{trt} --trtllm-backend tensorrt");
        Assert.Equal(0, engines.ExitCode);
        Assert.True(enginesEngine.EstimateOptions!.Engine.TensorRtEngine);
        var (pytorch, pytorchEngine) = Estimate(trt);
        Assert.Equal(0, pytorch.ExitCode);
        Assert.False(pytorchEngine.EstimateOptions!.Engine.TensorRtEngine);
        var (unsplit, unsplitEngine) = Estimate($"{trt} --trtllm-backend tensorrt --multi-block-mode off");
        Assert.Equal(0, unsplit.ExitCode);
        Assert.True(unsplitEngine.EstimateOptions!.Engine.UnsplitDecodeAttention);
        Assert.False(enginesEngine.EstimateOptions!.Engine.UnsplitDecodeAttention);
    }

    [Theory]
    [InlineData("meta-llama/Meta-Llama-3-8B-Instruct --engine nim --engine-version 1.0.3", true, true, true, ReleaseDefaults.OlderNimMaxNumTokens)]
    [InlineData("meta-llama/Meta-Llama-3-8B-Instruct --engine nim --engine-version 1.0.3 --multi-block-mode on --max-num-batched-tokens 8192", true, true, false, 8192)]
    [InlineData("meta-llama/Meta-Llama-3-8B-Instruct --engine nim --engine-version 1.8.0", true, true, false, 8192)]
    [InlineData("meta-llama/Meta-Llama-3-8B-Instruct --engine nim", true, true, true, ReleaseDefaults.OlderNimMaxNumTokens)]
    [InlineData("meta/llama3-70b-instruct --engine nim", true, true, true, ReleaseDefaults.OlderNimMaxNumTokens)]
    [InlineData("meta-llama/Llama-3.1-8B-Instruct --engine nim", true, true, false, 8192)]
    [InlineData("meta-llama/Meta-Llama-3-8B-Instruct --engine nim --engine-version 1.15.0", true, false, false, 8192)]
    [InlineData("meta-llama/Meta-Llama-3-8B-Instruct --engine trtllm --engine-version 1.0.3", false, false, false, 8192)]
    [InlineData("nvcr.io/nim/meta/llama3-8b-instruct:1.0.3 --engine nim", true, true, true, ReleaseDefaults.OlderNimMaxNumTokens)]
    [InlineData("nvcr.io/nim/meta/llama3-8b-instruct:1.0.3 --engine nim --engine-version 1.15.0", true, false, false, 8192)]
    // A name only NIM uses says NIM serves the model: --engine trtllm (NIM's engine) models NIM with it.
    [InlineData("nvcr.io/nim/meta/llama3-8b-instruct:1.0.3 --engine trtllm", true, true, true, ReleaseDefaults.OlderNimMaxNumTokens)]
    [InlineData("meta-llama3-8b-instruct --engine trtllm", true, true, true, ReleaseDefaults.OlderNimMaxNumTokens)]
    [InlineData("meta/llama-3.1-8b-instruct --engine tensorrt-llm", true, true, false, 8192)]
    [InlineData("meta/llama-3.1-8b-instruct --engine trtllm --engine-version 1.15.0", true, false, false, 8192)]
    [InlineData("Llama-3.1-8B-Instruct --engine trtllm", false, false, false, 8192)]
    public void Nims_release_says_its_engines_build_nim_1_0s_without_multi_block_mode_and_with_32768_token_steps(string modelAndFlags, bool nim, bool engines, bool unsplit, int tokens)
    {
        var (run, options) = Estimate($"estimate --model {modelAndFlags} --gpu h100-sxm --tp 1 --isl 200 --osl 200 --concurrency 1 --requests 5");
        Assert.Equal(0, run.ExitCode);
        var spec = options.EstimateOptions!.Engine;
        Assert.Equal((nim, engines, unsplit, tokens), (spec.Nim, spec.TensorRtEngine, spec.UnsplitDecodeAttention, spec.MaxNumBatchedTokens));
        // NIM is measured as genai-perf measures it, on either backend; NIM 1.0's genai-perf from the load's start.
        var expected = nim && spec.Release == new EngineRelease(1, 0, 3) ? MeasureWindow.FromStart : nim || engines ? MeasureWindow.Steady : MeasureWindow.All;
        Assert.Equal(expected, options.EstimateOptions.Measure);
    }

    [Fact]
    public void A_model_by_nims_name_under_trtllm_says_on_stderr_that_it_models_nim_and_a_hugging_face_id_does_not()
    {
        string Stderr(string model, string engine)
        {
            var (run, _) = Estimate($"estimate --model {model} --gpu h100-sxm --tp 4 --engine {engine} --isl 200 --osl 200 --concurrency 1 --requests 5");
            Assert.Equal(0, run.ExitCode);
            return run.Stderr;
        }
        Assert.Contains("--model meta/llama3-70b-instruct is NIM's name for the model, so --engine trtllm models TensorRT-LLM as NIM serves it",
            Stderr("meta/llama3-70b-instruct", "trtllm"));
        Assert.DoesNotContain("NIM", Stderr("meta-llama/Meta-Llama-3-70B-Instruct", "trtllm"));
        // --engine nim says NIM itself: nothing to note.
        Assert.DoesNotContain("NIM's name", Stderr("meta/llama3-70b-instruct", "nim"));
    }

    [Theory]
    [InlineData("nim", "", true)]
    [InlineData("NIM", "", true)]
    [InlineData("nim", "--trtllm-backend pytorch", false)]
    [InlineData("tensorrt-llm", "", false)]
    public void Nim_runs_tensorrt_engines_unless_another_backend_is_given(string engine, string backend, bool tensorRtEngines)
    {
        var (run, options) = Estimate($"estimate --model meta-llama/Llama-3.1-8B-Instruct --gpu h100-sxm --tp 1 --engine {engine} {backend} --isl 1000 --osl 100 --concurrency 1 --requests 5");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(ServingEngine.Trtllm, options.EstimateOptions!.Engine.Engine.Engine);
        Assert.Equal(tensorRtEngines, options.EstimateOptions.Engine.TensorRtEngine);
    }

    [Fact]
    public void Vllm_engine_v0_runs_vllms_v0_engine_which_schedules_synchronously_and_v1_is_the_default()
    {
        var (v0, v0Engine) = Estimate($"{Base} --concurrency 8 --vllm-engine v0");
        Assert.Equal(0, v0.ExitCode);
        Assert.True(v0Engine.EstimateOptions!.Engine.VllmV0);
        Assert.True(v0Engine.EstimateOptions!.Engine.SynchronousScheduling);
        var (v1, v1Engine) = Estimate($"{Base} --concurrency 8");
        Assert.Equal(0, v1.ExitCode);
        Assert.False(v1Engine.EstimateOptions!.Engine.VllmV0);
    }

    [Fact]
    public void Async_scheduling_off_makes_vllm_schedule_synchronously_and_async_is_the_default()
    {
        var (sync, syncEngine) = Estimate($"{Base} --concurrency 8 --async-scheduling off");
        Assert.Equal(0, sync.ExitCode);
        Assert.True(syncEngine.EstimateOptions!.Engine.SynchronousScheduling);
        var (async, asyncEngine) = Estimate($"{Base} --concurrency 8");
        Assert.Equal(0, async.ExitCode);
        Assert.False(asyncEngine.EstimateOptions!.Engine.SynchronousScheduling);
    }

    [Fact]
    public void Sglang_0_5_8_serves_a_hybrid_without_its_overlap_scheduler_unless_told_it_ran_without_the_radix_cache()
    {
        const string coderNext = "estimate --model Qwen/Qwen3-Coder-Next --gpu b200 --tp 2 --engine sglang --isl 1000 --osl 100 --concurrency 1 --requests 3";
        var (released, releasedEngine) = Estimate($"{coderNext} --engine-version 0.5.8");
        Assert.Equal(0, released.ExitCode);
        Assert.True(releasedEngine.EstimateOptions!.Engine.SynchronousScheduling);
        var (overlapped, overlappedEngine) = Estimate($"{coderNext} --engine-version 0.5.8 --async-scheduling on");
        Assert.Equal(0, overlapped.ExitCode);
        Assert.False(overlappedEngine.EstimateOptions!.Engine.SynchronousScheduling);
        // Today's SGLang keeps the overlap for it (extra_buffer); --async-scheduling off is SGLang's --disable-overlap-schedule.
        var (today, todayEngine) = Estimate(coderNext);
        Assert.Equal(0, today.ExitCode);
        Assert.False(todayEngine.EstimateOptions!.Engine.SynchronousScheduling);
        var (disabled, disabledEngine) = Estimate($"{coderNext} --async-scheduling off");
        Assert.Equal(0, disabled.ExitCode);
        Assert.True(disabledEngine.EstimateOptions!.Engine.SynchronousScheduling);
    }

    [Fact]
    public void Chunked_attention_off_makes_llama_4_attend_over_whole_contexts_and_on_is_the_default()
    {
        const string maverick = "--model nvidia/Llama-4-Maverick-17B-128E-Instruct-FP8 --gpu h200-sxm --tp 8 --engine trtllm --isl 1000 --osl 100";
        var (off, offEngine) = Estimate($"estimate {maverick} --concurrency 8 --chunked-attention off");
        Assert.Equal(0, off.ExitCode);
        Assert.False(offEngine.EstimateOptions!.Engine.ChunkedAttention);
        var (on, onEngine) = Estimate($"estimate {maverick} --concurrency 8");
        Assert.Equal(0, on.ExitCode);
        Assert.True(onEngine.EstimateOptions!.Engine.ChunkedAttention);
    }

    [Fact]
    public void Mixed_steps_and_vllm_bench_serves_window_of_every_request_are_the_defaults()
    {
        var (run, engine) = Estimate($"{Base} --concurrency 8");
        Assert.Equal(0, run.ExitCode);
        Assert.Null(engine.EstimateOptions!.Engine.MixedPrefillDecode);
        Assert.True(engine.EstimateOptions.Engine.EffectiveMixedPrefillDecode);
        Assert.Equal(MeasureWindow.All, engine.EstimateOptions.Measure);
    }

    [Fact]
    public void Offline_queues_the_given_requests_with_no_concurrency()
    {
        var (run, engine) = Estimate($"{Base} --offline --requests 2000");
        Assert.Equal(0, run.ExitCode);
        Assert.Null(engine.EstimateOptions!.Concurrency);
        Assert.Equal(2000, engine.EstimateOptions.Requests);
    }

    [Fact]
    public void Workload_draws_each_requests_lengths_from_the_seed_instead_of_isl_and_osl()
    {
        var (run, engine) = Estimate($"estimate --model {Samples.Model} --gpu {Samples.Gpu} --tp 1 --workload uniform:1-1999:1-399 --seed 7 --concurrency 16");
        Assert.Equal(0, run.ExitCode);
        var options = engine.EstimateOptions!;
        Assert.Equal(WorkloadSpec.Uniform(1, 1999, 1, 399), options.Workload);
        Assert.Equal((0, 0, 7), (options.InputTokens, options.OutputTokens, options.Seed));

        (_, engine) = Estimate($"{Base} --concurrency 8");
        Assert.Equal((null, 0), (engine.EstimateOptions!.Workload, engine.EstimateOptions.Seed));
    }

    [Theory]
    [InlineData("--isl 128 --osl 64 --workload uniform:1-10:1-10", "--workload uniform:1-10:1-10")]
    [InlineData("--isl 128 --workload uniform:1-10:1-10", "--isl and --osl")]
    [InlineData("--osl 64 --workload uniform:1-10:1-10", "not both")]
    [InlineData("--isl 128", "--osl N")]
    [InlineData("", "--workload SPEC")]
    [InlineData("--workload uniform:5-1:1", "--workload")]
    [InlineData("--workload uniform:1-10", "uniform needs an input and an output range")]
    [InlineData("--workload random:1000", "unknown kind 'random'")]
    [InlineData("--workload uniform:1-10:1-10 --seed x", "--seed")]
    [InlineData("--workload sharegpt:2000:100", "MEAN_IN (mean prompt length) must lie strictly between 4 and 1024")]
    [InlineData("--workload sharegpt:200:100:trtllm", "CLIENT 'trtllm' is not vllm or sglang")]
    public void Lengths_come_from_exactly_one_of_isl_and_osl_or_workload(string lengths, string named)
    {
        var (run, engine) = Estimate($"estimate --model {Samples.Model} --gpu {Samples.Gpu} --tp 1 --concurrency 8 {lengths}");
        AssertBadInput(run, named);
        Assert.Equal(0, engine.Calls);
    }

    [Fact]
    public void Table_shows_the_workload_and_the_mean_lengths_it_ran()
    {
        var engine = new FakeEngineRunner { EstimateResult = Samples.Estimate() with { Workload = "uniform:1-1999:1-399", Seed = 7, IslMean = 1012.4, OslMean = 198.7 } };
        var (run, _) = Estimate($"estimate --model {Samples.Model} --gpu {Samples.Gpu} --tp 1 --workload uniform:1-1999:1-399 --seed 7 --concurrency 16", engine);
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("uniform:1-1999:1-399 (7)", run.Stdout);
        Assert.Contains("1012.4 / 198.7", run.Stdout);
    }

    [Fact]
    public void A_model_the_catalogue_lacks_runs_from_its_config_json_as_the_catalogued_one_does()
    {
        using var checkpoint = new TempCheckpoint("""
            {"architectures": ["LlamaForCausalLM"], "hidden_size": 4096, "intermediate_size": 14336, "max_position_embeddings": 131072,
             "model_type": "llama", "num_attention_heads": 32, "num_hidden_layers": 32, "num_key_value_heads": 8,
             "tie_word_embeddings": false, "torch_dtype": "bfloat16", "vocab_size": 128256}
            """);
        const string Load = "--gpu h100-sxm --tp 1 --isl 512 --osl 64 --concurrency 4 --requests 16 --json";
        var fromFile = CliRun.Of(null, ["estimate", "--model", checkpoint.Config, .. CliRun.Args(Load)]);
        var catalogued = CliRun.Of(null, CliRun.Args($"estimate --model meta-llama/Llama-3.1-8B-Instruct {Load}"));

        Assert.True(fromFile.ExitCode == 0, fromFile.ToString());
        var a = JsonDocument.Parse(fromFile.Stdout).RootElement;
        var b = JsonDocument.Parse(catalogued.Stdout).RootElement;
        Assert.Equal(checkpoint.Config, a.GetProperty("model").GetString());
        foreach (var field in new[] { "ttft_mean_ms", "itl_mean_ms", "output_tokens_per_s", "kv_cache_tokens", "weights_gib_per_gpu" })
            Assert.Equal(b.GetProperty(field).GetDouble(), a.GetProperty(field).GetDouble());
    }

    [Fact]
    public void Sglang_runs_a_hybrid_no_wider_than_its_state_pool_and_says_so_where_vllm_keeps_its_own_limit()
    {
        const string Run = "estimate --model Qwen/Qwen3.5-35B-A3B --gpu h200-sxm --tp 1 --isl 256 --osl 256 --concurrency 600 --requests 600 --json";
        var sglang = CliRun.Of(null, CliRun.Args($"{Run} --engine sglang --engine-version 0.5.9"));
        var vllm = CliRun.Of(null, CliRun.Args(Run));

        Assert.True(sglang.ExitCode == 0, sglang.ToString());
        Assert.True(vllm.ExitCode == 0, vllm.ToString());
        var pooled = JsonDocument.Parse(sglang.Stdout).RootElement;
        var paged = JsonDocument.Parse(vllm.Stdout).RootElement;
        // About 130 requests' FP32 states fill SGLang's pool (3 slots each); vLLM runs up to its 1,024 sequences.
        Assert.InRange(pooled.GetProperty("max_running_requests").GetInt32(), 64, 256);
        Assert.Equal(EngineProfiles.Vllm.MaxNumSeqs, paged.GetProperty("max_running_requests").GetInt32());
        // 600 clients queue behind the pool: their first tokens wait far longer than under vLLM.
        Assert.True(pooled.GetProperty("ttft_mean_ms").GetDouble() > 2 * paged.GetProperty("ttft_mean_ms").GetDouble());
    }

    [Fact]
    public void Uniform_lengths_run_end_to_end_and_report_their_means()
    {
        var run = CliRun.Of(null, CliRun.Args(
            "estimate --model meta-llama/Llama-3.1-8B-Instruct --gpu h100-sxm --tp 1 --dtype fp8 --workload uniform:1-511:1-63 --seed 2 --concurrency 4 --requests 16 --json"));
        Assert.True(run.ExitCode == 0, run.ToString());
        var root = JsonDocument.Parse(run.Stdout).RootElement;
        Assert.Equal("uniform:1-511:1-63", root.GetProperty("workload").GetString());
        Assert.Equal(2, root.GetProperty("seed").GetInt32());
        Assert.InRange(root.GetProperty("isl_mean").GetDouble(), 1, 511);
        Assert.InRange(root.GetProperty("osl_mean").GetDouble(), 1, 63);
        Assert.True(root.GetProperty("ttft_mean_ms").GetDouble() > 0);
    }

    [Theory]
    [InlineData("--concurrency 8 --offline --requests 10", "--concurrency")]
    [InlineData("", "--concurrency")]
    [InlineData("--requests 10", "--offline")]
    public void Load_mode_must_be_exactly_one(string load, string named)
    {
        var (run, engine) = Estimate($"{Base} {load}");
        AssertBadInput(run, named);
        Assert.Equal(0, engine.Calls);
    }

    [Theory]
    [InlineData("--tp 0", "--tp")]
    [InlineData("--tp -2", "--tp")]
    [InlineData("--tp abc", "--tp")]
    [InlineData("--tp 3", "--tp")]
    [InlineData("--pp 0", "--pp")]
    [InlineData("--isl 0", "--isl")]
    [InlineData("--osl -1", "--osl")]
    [InlineData("--isl 1.5", "--isl")]
    [InlineData("--requests -5", "--requests")]
    [InlineData("--concurrency 0", "--concurrency")]
    [InlineData("--max-num-seqs 0", "--max-num-seqs")]
    [InlineData("--max-num-batched-tokens -1", "--max-num-batched-tokens")]
    [InlineData("--gpu-memory-utilization 0", "--gpu-memory-utilization")]
    [InlineData("--gpu-memory-utilization 1.5", "--gpu-memory-utilization")]
    [InlineData("--dtype fp6", "--dtype")]
    [InlineData("--chunked-prefill maybe", "--chunked-prefill")]
    [InlineData("--mixed-chunk sometimes", "--mixed-chunk")]
    [InlineData("--moe-backend cutlass", "--moe-backend")]
    [InlineData("--moe-backend marlin", "--moe-backend marlin")]
    [InlineData("--allreduce-fusion maybe", "--allreduce-fusion")]
    [InlineData("--async-scheduling later", "--async-scheduling")]
    [InlineData("--trtllm-backend onnx", "--trtllm-backend")]
    [InlineData("--vllm-engine v2", "--vllm-engine")]
    [InlineData("--multi-block-mode maybe", "--multi-block-mode")]
    [InlineData("--multi-block-mode off", "--multi-block-mode off")]
    [InlineData("--xqa sometimes", "--xqa")]
    [InlineData("--xqa off", "--xqa")]
    [InlineData("--vllm-engine v0 --async-scheduling on", "--async-scheduling on")]
    [InlineData("--engine sglang --vllm-engine v0", "--vllm-engine v0")]
    [InlineData("--trtllm-backend tensorrt", "--trtllm-backend tensorrt")]
    [InlineData("--chunked-attention partly", "--chunked-attention")]
    [InlineData("--chunked-attention off", "--chunked-attention")]
    [InlineData("--measure warm", "--measure")]
    [InlineData("--warm-prompts -3", "--warm-prompts")]
    [InlineData("--endpoint responses", "--endpoint")]
    [InlineData("--engine tgi", "--engine")]
    [InlineData("--kv-cache-dtype int8", "--kv-cache-dtype")]
    [InlineData("--admission greedy", "--admission")]
    [InlineData("--model nope/Model-1B", "--model")]
    [InlineData("--gpu tpu-v5", "--gpu")]
    [InlineData("--bogus 1", "--bogus")]
    public void Bad_input_exits_2_naming_the_option(string change, string named)
    {
        // Later values win, so appending overrides the base command line.
        var (run, engine) = Estimate($"{Base} --concurrency 8 {change}");
        AssertBadInput(run, named);
        Assert.Equal(0, engine.Calls);
    }

    [Theory]
    [InlineData("--model")]
    [InlineData("--gpu")]
    [InlineData("--isl")]
    [InlineData("--osl")]
    public void Required_options_are_named_when_missing(string option)
    {
        var args = CliRun.Args($"{Base} --concurrency 8").ToList();
        var at = args.IndexOf(option);
        args.RemoveRange(at, 2);
        var run = CliRun.Of(new FakeEngineRunner(), [.. args]);
        AssertBadInput(run, option);
    }

    [Fact]
    public void Without_tp_an_estimate_runs_one_gpu_as_every_engines_own_flag_defaults()
    {
        var (run, engine) = Estimate($"estimate --model {Samples.Model} --gpu {Samples.Gpu} --engine sglang --isl 128 --osl 64 --concurrency 8");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal((1, 1), (engine.EstimateOptions!.Engine.TensorParallel, engine.EstimateOptions.Engine.PipelineParallel));
    }

    [Fact]
    public void Json_prints_the_result_with_snake_case_fields()
    {
        var (run, _) = Estimate($"{Base} --concurrency 8 --json");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("", run.Stderr);
        using var json = JsonDocument.Parse(run.Stdout);
        var root = json.RootElement;
        Assert.Equal(Samples.Model, root.GetProperty("model").GetString());
        Assert.True(root.GetProperty("fits").GetBoolean());
        Assert.Equal(210.5, root.GetProperty("ttft_ms").GetDouble());
        Assert.Equal(2400, root.GetProperty("output_tokens_per_s").GetDouble());
        Assert.Equal("concurrency", root.GetProperty("mode").GetString());
        Assert.False(root.TryGetProperty("fit_error", out _));
    }

    [Fact]
    public void Table_shows_the_medians_and_throughput()
    {
        var (run, _) = Estimate($"{Base} --concurrency 8");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("TTFT p50 (ms)", run.Stdout);
        Assert.Contains("210.5", run.Stdout);
        Assert.Contains("2400.0", run.Stdout);
        Assert.DoesNotContain("\u001b[", run.Stdout);
    }

    [Fact]
    public void A_model_that_does_not_fit_exits_1_with_the_fit_error()
    {
        var engine = new FakeEngineRunner { EstimateResult = Samples.Estimate(fits: false) };
        var (run, _) = Estimate($"{Base} --concurrency 8", engine);
        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"error: {engine.EstimateResult.FitError}{Environment.NewLine}", run.Stderr);
        Assert.Contains("fits", run.Stdout);
    }

    [Fact]
    public void A_model_that_does_not_fit_still_prints_json()
    {
        var engine = new FakeEngineRunner { EstimateResult = Samples.Estimate(fits: false) };
        var (run, _) = Estimate($"{Base} --concurrency 8 --json", engine);
        Assert.Equal(1, run.ExitCode);
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.False(json.RootElement.GetProperty("fits").GetBoolean());
        Assert.Equal(engine.EstimateResult.FitError, json.RootElement.GetProperty("fit_error").GetString());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("ttft_ms").ValueKind);
        Assert.StartsWith("error: ", run.Stderr);
    }

    internal static void AssertBadInput(CliRun run, string named)
    {
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.StartsWith("error: ", run.Stderr);
        Assert.Contains(named, run.Stderr);
        Assert.Single(run.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain("   at ", run.Stderr);
        Assert.Equal("", run.Stdout);
    }
}
