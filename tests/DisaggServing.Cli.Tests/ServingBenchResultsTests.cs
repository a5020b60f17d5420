using System.Globalization;
using DisaggServing.Cli.Bench;
using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Estimation;
using DisaggServing.Engine.Performance;
using DisaggServing.Engine.Workloads;

namespace DisaggServing.Cli.Tests;

/// <summary><c>calibrate --fit</c> on the results vLLM's and SGLang's own benchmark clients save.</summary>
public sealed class ServingBenchResultsTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("disagg-servingbench-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void Fit_turns_vllm_bench_serve_results_into_a_profile_that_recovers_the_constants()
    {
        var truth = PerformanceConstants.Resolve(GpuCatalog.H100Sxm, EngineProfiles.Vllm) with { GemmEfficiency = 0.45, StepSeconds = 2.5e-3, FirstTokenSeconds = 20e-3 };
        var files = new List<string>();
        foreach (var (c, isl, osl) in new[] { (1, 2000, 32), (8, 1000, 64), (32, 256, 128) })
        {
            var n = 20 * c;
            var measured = Estimator.Run(new EstimateOptions
            {
                Engine = new EngineSpec { Model = ModelCatalog.Llama31_8B, Gpu = GpuCatalog.H100Sxm, WeightDtype = DType.Fp8, Engine = EngineProfiles.Vllm, Constants = truth },
                InputTokens = isl, OutputTokens = osl, Concurrency = c, Requests = n, Measure = MeasureWindow.All, Admission = EngineProfiles.Vllm.Admission,
            });
            files.Add(Path.Combine(dir, $"vllm-c{c}.json"));
            File.WriteAllText(files[^1], VllmResult(c, n, isl, osl, measured));
        }
        var profile = Path.Combine(dir, "profile.json");

        var fit = CliRun.Of(null, ["calibrate", "--fit", .. files, "--gpu", "h100-sxm", "--dtype", "fp8", "--engine", "vllm", "--out", profile]);

        Assert.True(fit.ExitCode == 0, fit.ToString());
        Assert.Contains($"160 requests of 1000→64 tokens (the run's means) on {Samples.Model}, c=8", fit.Stdout);
        Assert.Equal(3, fit.Stdout.Split('\n').Count(l => l.StartsWith("vllm-c8.json c=8", StringComparison.Ordinal)));
        var fitted = ProfileFile.Load(profile);
        Assert.True(fitted.GemmEfficiency is > 0.45 * 0.9 and < 0.45 * 1.1, fit.ToString());
        Assert.InRange(fitted.FirstTokenMs, 20 * 0.8, 20 * 1.2);
    }

    [Fact]
    public void Sglang_results_appended_a_run_a_line_need_the_model_and_keep_their_random_ranges()
    {
        var path = Path.Combine(dir, "sglang.jsonl");
        File.WriteAllLines(path, [SglangResult(concurrency: 4, ttftMs: 180, itlMs: 9.5, tokPerS: 410), SglangResult(concurrency: 16, ttftMs: 420, itlMs: 14.2, tokPerS: 1050)]);
        var args = $"calibrate --fit {path} --gpu h100-sxm --engine sglang --out {Path.Combine(dir, "p.json")}";

        var unnamed = CliRun.Of(null, CliRun.Args(args));
        Assert.Equal(2, unnamed.ExitCode);
        Assert.Contains("sglang.jsonl:1: sglang.bench_serving results do not name the model; pass --model ID", unnamed.Stderr);

        var named = CliRun.Of(null, CliRun.Args($"{args} --model {Samples.Model}"));
        Assert.True(named.ExitCode == 0, named.ToString());
        Assert.Contains("sglang.jsonl:1: 80 requests of uniform:512-1024:64-128 (SGLang's random dataset", named.Stdout);
        Assert.Contains("sglang.jsonl:2 c=16", named.Stdout);

        var run = ServingBenchResults.Read(path)[1];
        var options = ServingBenchResults.Points(run, Samples.Model, id => Spec(id) with { Engine = EngineProfiles.Sglang }, _ => { }).First().Options;
        Assert.Equal((WorkloadSpec.Uniform(512, 1024, 64, 128), 16, 80, MeasureWindow.All, 1), (options.Workload, options.Concurrency, options.Requests, options.Measure, options.WarmPrompts));
    }

    [Fact]
    public void A_rate_run_is_estimated_at_its_rate_burstiness_and_cap_and_a_run_without_either_sends_every_prompt_at_once()
    {
        var rated = Path.Combine(dir, "rate.json");
        File.WriteAllText(rated, VllmResult(16, 200, 512, 128, Samples.Estimate() with { TtftMeanMs = 90, ItlMeanMs = 11 }).Replace("\"request_rate\": \"inf\"", "\"request_rate\": 4.0").Replace("\"burstiness\": 1.0", "\"burstiness\": 0.5"));
        var burst = Path.Combine(dir, "burst.json");
        File.WriteAllText(burst, VllmResult(16, 200, 512, 128, Samples.Estimate() with { TtftMeanMs = 900, ItlMeanMs = 30 }).Replace("\"max_concurrency\": 16", "\"max_concurrency\": null"));

        var rate = ServingBenchResults.Points(ServingBenchResults.Read(rated).Single(), null, Spec, _ => { }).First().Options;
        Assert.Equal((4.0, 0.5, 16, 200), (rate.RequestRate, rate.Burstiness, rate.Concurrency, rate.Requests));

        // Rate inf without a cap: every prompt sent at once to the served engine, its tokens streamed.
        var all = ServingBenchResults.Points(ServingBenchResults.Read(burst).Single(), null, Spec, _ => { }).First().Options;
        Assert.Equal(((double?)double.PositiveInfinity, (int?)null, 200, 512, 128), (all.RequestRate, all.Concurrency, all.Requests, all.InputTokens, all.OutputTokens));
    }

    [Fact]
    public void An_sglang_metrics_scrape_fits_as_a_vllm_one_does()
    {
        var path = Path.Combine(dir, "sglang.prom");
        File.WriteAllText(path, Engine.Tests.Calibration.SglangScrapeText.Render(requests: 64, prompt: 64_000, generated: 6400, ttft: 64 * 0.12, itl: 64 * 99 * 0.012, e2e: 64 * 1.31, cached: 0, retracted: 0));

        var run = CliRun.Of(null, CliRun.Args($"calibrate --fit {path} --gpu h100-sxm --engine sglang --model Qwen/Qwen3-8B --concurrency 8 --out {Path.Combine(dir, "p.json")}"));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("64 requests of 1000→100 tokens on Qwen/Qwen3-8B, concurrency 8; TTFT 120.0 ms, ITL 12.00 ms", run.Stdout);
    }

    [Fact]
    public void Genai_perf_and_aiperf_results_are_fitted_as_closed_loops_from_the_loads_start_unless_they_warmed_up_whatever_their_config_layout()
    {
        // genai-perf 24.x keeps its arguments flat; AIPerf nests them (endpoint.model_names, loadgen.concurrency). Neither
        // warms up unless told, so perf_analyzer's windows count the first wave, sent together.
        var flat = Path.Combine(dir, "profile_export_genai_perf.json");
        File.WriteAllText(flat, GenaiPerfResult("\"input_config\": {\"model\": [\"" + Samples.Model + "\"], \"concurrency\": 8, \"request_rate\": null, \"synthetic_input_tokens_mean\": 550}"));
        var nested = Path.Combine(dir, "profile_export_aiperf.json");
        File.WriteAllText(nested, GenaiPerfResult("\"input_config\": {\"endpoint\": {\"model_names\": [\"" + Samples.Model + "\"], \"streaming\": true}, \"loadgen\": {\"concurrency\": 8, \"request_rate_mode\": \"concurrency_burst\"}}"));
        var warmed = Path.Combine(dir, "warmed.json");
        File.WriteAllText(warmed, GenaiPerfResult("\"input_config\": {\"model\": [\"" + Samples.Model + "\"], \"concurrency\": 8, \"warmup_request_count\": 16}"));

        foreach (var (path, measure) in new[] { (flat, MeasureWindow.FromStart), (nested, MeasureWindow.FromStart), (warmed, MeasureWindow.Steady) })
        {
            var options = ServingBenchResults.Points(ServingBenchResults.Read(path).Single(), null, Spec, _ => { }).First().Options;
            Assert.Equal((8, 200, 550, 96, measure, 0), (options.Concurrency, options.Requests, options.InputTokens, options.OutputTokens, options.Measure, options.WarmPrompts));
        }
        var fit = CliRun.Of(null, ["calibrate", "--fit", flat, nested, "--gpu", "h100-sxm", "--engine", "trtllm", "--out", Path.Combine(dir, "p.json")]);
        Assert.True(fit.ExitCode == 0, fit.ToString());
        Assert.Contains("profile_export_aiperf.json: 200 requests of 550→96 tokens (the run's means)", fit.Stdout);

        var rateless = Path.Combine(dir, "rateless.json");
        File.WriteAllText(rateless, GenaiPerfResult("\"input_config\": {\"model\": [\"x\"]}"));
        var refused = CliRun.Of(null, ["calibrate", "--fit", rateless, "--gpu", "h100-sxm"]);
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("neither a concurrency nor a request rate", refused.Stderr);
    }

    [Fact]
    public void A_trtllm_bench_report_is_fitted_offline_at_its_stated_parallelism_limits_and_formats()
    {
        var path = Path.Combine(dir, "report.json");
        File.WriteAllText(path, """
            {"engine": {"model": "MODEL", "model_path": null, "engine_dir": null, "version": "1.2.0", "backend": "Pytorch",
                        "dtype": "bfloat16", "kv_cache_dtype": "FP8", "quantization": "FP8"},
             "world_info": {"tp_size": 2, "pp_size": 1, "ep_size": 1, "world_size": 2, "max_batch_size": 512, "max_num_tokens": 2048,
                            "scheduling_policy": "GUARANTEED_NO_EVICT", "kv_cache_percentage": 0.9, "issue_rate": 1.2e+16},
             "request_info": {"num_requests": 3000, "avg_num_concurrent_requests": 497.3, "avg_input_length": 1000.0, "avg_output_length": 1000.0},
             "performance": {"total_latency_ms": 141000.5, "avg_request_latency_ms": 23300.1, "request_throughput_req_s": 21.27,
                             "system_output_throughput_tok_s": 21276.2, "system_total_throughput_tok_s": 42552.4,
                             "output_throughput_per_user_tok_s": 43.1, "output_throughput_per_gpu_tok_s": 10638.1,
                             "request_latency_percentiles_ms": {"p50": 23000.0, "p99": 30000.0}},
             "streaming_metrics": {"token_output_speed_tok_s": 44.0, "avg_ttft_ms": 5120.4, "avg_tpot_ms": 22.1},
             "dataset": {"num_requests": 3000, "avg_isl": 1000, "avg_osl": 1000}}
            """.Replace("MODEL", Samples.Model, StringComparison.Ordinal));
        var said = new List<string>();

        var points = ServingBenchResults.Points(ServingBenchResults.Read(path).Single(), null, Spec, said.Add).ToList();

        Assert.Equal(3, points.Count);
        var options = points[0].Options;
        Assert.Equal(((int?)null, 3000, 1000, 1000), (options.Concurrency, options.Requests, options.InputTokens, options.OutputTokens));
        Assert.Equal((2, 512, 2048, DType.Fp8, (DType?)DType.Fp8), (options.Engine.TensorParallel, options.Engine.MaxNumSeqs, options.Engine.MaxNumBatchedTokens, options.Engine.WeightDtype, options.Engine.KvCacheDtype));
        Assert.Contains(said, s => s.Contains("trtllm-bench's default offline run", StringComparison.Ordinal) && s.Contains("max batch 512", StringComparison.Ordinal));
        Assert.Equal((5120.4, 22.1, 21276.2), (points[0].Measured, points[1].Measured, points[2].Measured));
    }

    [Theory]
    [InlineData("{\"completed\": 10, \"duration\": 5.0, \"total_input_tokens\": 40, \"total_output_tokens\": 40, \"output_throughput\": \"fast\"}", "'output_throughput' is string")]
    [InlineData("{\"completed\": 0, \"duration\": 5.0, \"output_throughput\": 0, \"total_input_tokens\": 0, \"total_output_tokens\": 0}", "no request completed")]
    [InlineData("{\"completed\": 4, \"duration\": 5.0, \"output_throughput\": 90, \"total_output_tokens\": 450, \"model_id\": \"x\"}", "no 'total_input_tokens'")]
    [InlineData("{\"completed\": 4, \"duration\": 5.0, \"output_throughput\": 90}\n{\"completed\": 4,", "x.json:2: not valid JSON")]
    [InlineData("{\"completed\": 4, \"duration\": 5.0,\n \"output_throughput\": 90,,}", "not valid JSON")]
    public void A_result_that_cannot_be_fitted_is_refused_naming_the_file_and_the_field(string text, string message)
    {
        var path = Path.Combine(dir, "x.json");
        File.WriteAllText(path, text);

        var run = CliRun.Of(null, ["calibrate", "--fit", path, "--gpu", "h100-sxm", "--model", Samples.Model]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.Stderr);
    }

    private static EngineSpec Spec(string model) =>
        new() { Model = ModelCatalog.Get(model, "--model"), Gpu = GpuCatalog.H100Sxm, Engine = EngineProfiles.Vllm };

    // As vllm bench serve --save-result writes it (vllm/benchmarks/serve.py): its arguments, then the run's metrics,
    // with Python's bare NaN for a metric without samples.
    private static string VllmResult(int concurrency, int n, int isl, int osl, EstimateResult r) => string.Create(CultureInfo.InvariantCulture, $$"""
        {"date": "20261202-183000", "endpoint_type": "openai", "backend": "openai", "label": null, "model_id": "{{Samples.Model}}",
         "tokenizer_id": "{{Samples.Model}}", "num_prompts": {{n}}, "request_rate": "inf", "burstiness": 1.0, "max_concurrency": {{concurrency}},
         "duration": {{n * osl / r.OutputTokensPerSecond!.Value:R}}, "completed": {{n}}, "failed": 0, "total_input_tokens": {{n * isl}},
         "total_output_tokens": {{n * osl}}, "request_throughput": {{n / (n * osl / r.OutputTokensPerSecond!.Value):R}}, "request_goodput": null,
         "output_throughput": {{r.OutputTokensPerSecond!.Value:R}}, "total_token_throughput": 1.0, "max_output_tokens_per_s": 1.0,
         "max_concurrent_requests": {{concurrency}}, "mean_ttft_ms": {{r.TtftMeanMs!.Value:R}}, "median_ttft_ms": 1.0, "std_ttft_ms": NaN,
         "p99_ttft_ms": 1.0, "mean_tpot_ms": {{r.ItlMeanMs!.Value:R}}, "mean_itl_ms": {{r.ItlMeanMs!.Value:R}}, "median_itl_ms": 1.0, "p99_itl_ms": 1.0}
        """);

    // As genai-perf and AIPerf write their aggregate: a metric an object of statistics, then the run's input_config.
    private static string GenaiPerfResult(string inputConfig) => $$"""
        {"request_throughput": {"unit": "requests/sec", "avg": 13.16}, "request_latency": {"unit": "ms", "avg": 650.3, "p99": 938.1},
         "time_to_first_token": {"unit": "ms", "avg": 158.8, "p50": 78.7, "p99": 412.1}, "inter_token_latency": {"unit": "ms", "avg": 5.17},
         "output_token_throughput": {"unit": "tokens/sec", "avg": 1274.6}, "output_token_throughput_per_user": {"unit": "tokens/sec/user", "avg": 193.4},
         "output_sequence_length": {"unit": "tokens", "avg": 96.4}, "input_sequence_length": {"unit": "tokens", "avg": 550.0},
         "benchmark_duration": {"unit": "sec", "avg": 15.2}, "request_count": {"unit": "requests", "avg": 200.0}, {{inputConfig}}}
        """;

    // As sglang.bench_serving --output-file appends it: one line a run, random dataset of ratio 0.5 (lengths from half to all).
    private static string SglangResult(int concurrency, double ttftMs, double itlMs, double tokPerS) => string.Create(CultureInfo.InvariantCulture,
        $$"""{"tag": null, "backend": "sglang", "dataset_name": "random", "request_rate": "inf", "max_concurrency": {{concurrency}}, "sharegpt_output_len": null, "random_input_len": 1024, "random_output_len": 128, "random_range_ratio": 0.5, "duration": 20.5, "completed": 80, "total_input_tokens": 61440, "total_output_tokens": 7680, "total_output_tokens_retokenized": 7677, "request_throughput": 3.9, "input_throughput": 2997.1, "output_throughput": {{tokPerS}}, "mean_e2e_latency_ms": 1100.2, "median_e2e_latency_ms": 1050.0, "mean_ttft_ms": {{ttftMs}}, "median_ttft_ms": 170.0, "std_ttft_ms": 40.1, "p99_ttft_ms": 310.0, "mean_tpot_ms": {{itlMs}}, "mean_itl_ms": {{itlMs}}, "median_itl_ms": 9.0, "p99_itl_ms": 30.2, "concurrency": {{concurrency - 0.3}}, "accept_length": null}""");
}
