using DisaggServing.Bench;
using System.Text.Json;
using DisaggServing.Cli.Bench;
using DisaggServing.Cli.Commands;
using DisaggServing.Engine.Calibration;
using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Estimation;
using DisaggServing.Engine.Metrics;
using DisaggServing.Engine.Performance;
using DisaggServing.Engine.Tests.Calibration;

namespace DisaggServing.Cli.Tests;

public sealed class CalibrateCommandTests : IDisposable
{
    // One directory per test (xUnit makes an instance per test), as the bench and engine-profile tests do.
    private readonly string dir = Directory.CreateTempSubdirectory("disagg-calibrate-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void Every_calibration_figure_is_reproduced_by_its_printed_estimate_command()
    {
        var command = new CalibrateCommand(new CliContext(TextWriter.Null, TextWriter.Null, new FakeEngineRunner(), ShowProgress: false));
        Assert.All(CalibrationSet.Points, p => Assert.Equal(p.Options, command.Parse(p)));
    }

    [Fact]
    public void Stated_only_estimates_a_row_with_its_setup_and_release_and_every_derived_setting_at_its_default()
    {
        var command = new CalibrateCommand(new CliContext(TextWriter.Null, TextWriter.Null, new FakeEngineRunner(), ShowProgress: false));
        var point = CalibrationSet.Points.First(p => p.Source.StartsWith("vLLM 0.11.0, InferenceMAX", StringComparison.Ordinal)
            && p.Options.Engine.Gpu.Id == "b200" && p.Options.Engine.TensorParallel == 4);
        var stated = command.ParseStated(point);
        var full = point.Options.Engine;
        // InferenceMAX's --async-scheduling, MXFP8 MoE, fused all-reduce and 512 sequences are its config, not its figure's setup.
        Assert.Equal((true, (MoeBackend?)null, (bool?)null), (stated.Engine.SynchronousScheduling, stated.Engine.MoeBackend, stated.Engine.AllReduceFusion));
        Assert.Equal((false, MoeBackend.FlashinferMxfp8, true), (full.SynchronousScheduling, full.MoeBackend, full.AllReduceFusion));
        Assert.Equal((full.Release, full.Model, full.TensorParallel, point.Options.Concurrency, point.Options.Workload),
            (stated.Engine.Release, stated.Engine.Model, stated.Engine.TensorParallel, stated.Concurrency, stated.Workload));
    }

    [Fact]
    public void Without_release_a_row_runs_as_todays_engine_with_the_rest_of_its_command()
    {
        var command = new CalibrateCommand(new CliContext(TextWriter.Null, TextWriter.Null, new FakeEngineRunner(), ShowProgress: false));
        var point = CalibrationSet.Points.First(p => p.Source.StartsWith("vLLM 0.7.2, RedHatAI", StringComparison.Ordinal));
        var full = command.Parse(point).Engine;
        var today = command.ParseWithoutRelease(point, statedOnly: false).Engine;
        // vLLM 0.7.2 ran its V0 engine; today's runs V1 with async scheduling.
        Assert.Equal((new EngineRelease(0, 7, 2), true), (full.Release!.Value, full.VllmV0));
        Assert.Equal(((EngineRelease?)null, false, false), (today.Release, today.VllmV0, today.SynchronousScheduling));
        Assert.Equal((full.Model, full.Gpu, full.TensorParallel), (today.Model, today.Gpu, today.TensorParallel));
    }

    [Fact]
    public void Stated_only_the_releases_rows_keep_the_limits_their_release_implies()
    {
        // A TensorRT engine of v0.12/v0.13 offline takes trtllm-bench build's packaged limits, vLLM 0.7.2 its V0 scheduler's:
        // stripped of the derived flags, those rows run as calibrated.
        var command = new CalibrateCommand(new CliContext(TextWriter.Null, TextWriter.Null, new FakeEngineRunner(), ShowProgress: false));
        var rows = CalibrationSet.Points.Where(p => (p.Source.StartsWith("TensorRT-LLM v0.13", StringComparison.Ordinal) && p.Setup.StartsWith("Llama-3-70B H100 TP1", StringComparison.Ordinal))
            || (p.Source.StartsWith("vLLM 0.7.2, RedHatAI", StringComparison.Ordinal) && p.Options.Engine.Gpu.Id == "h100-sxm")).ToList();
        Assert.True(rows.Count > 20, $"{rows.Count} rows");
        Assert.All(rows, p =>
        {
            var (full, stated) = (command.Parse(p).Engine, command.ParseStated(p).Engine);
            Assert.Equal((full.MaxNumSeqs, full.MaxNumBatchedTokens, full.EnableChunkedPrefill), (stated.MaxNumSeqs, stated.MaxNumBatchedTokens, stated.EnableChunkedPrefill));
        });
    }

    [Fact]
    public void The_sharegpt_rows_print_lengths_drawn_at_their_means_measured_as_the_bench_does()
    {
        // vllm bench serve and bench_serving on ShareGPT: lengths drawn at the run's means with the client's filter,
        // every prompt of the run measured; never fixed lengths at the means (they keep the clients in lockstep).
        // vLLM CI's bench throughput rows are the exception: no page gives their token totals, so they run the CLI's
        // ShareGPT model (--workload sharegpt), as a user stating only "200 ShareGPT prompts" would (VllmCiFigures).
        var rows = CalibrateRows.Value.Where(r => r.GetProperty("setup").GetString()!.Contains("ShareGPT", StringComparison.Ordinal)
            && !r.GetProperty("source").GetString()!.EndsWith("bench throughput)", StringComparison.Ordinal)).ToList();
        Assert.True(rows.Count >= 24, $"{rows.Count} ShareGPT rows");
        Assert.All(rows, r =>
        {
            var command = r.GetProperty("command").GetString()!;
            Assert.Matches(@" --workload sharegpt:[0-9.]+:[0-9.]+(:sglang)? ", command);
            Assert.DoesNotContain("--isl", command, StringComparison.Ordinal);
            Assert.Contains(" --requests ", command, StringComparison.Ordinal);
            // Every request measured: the benches' default, and every engine's but a TensorRT engine's (steady, as genai-perf
            // measures NIM), so none of these rows says --measure.
            Assert.DoesNotContain("--measure", command, StringComparison.Ordinal);
        });
        Assert.Contains(rows, r => r.GetProperty("command").GetString()!.Contains(":sglang ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("vLLM 0.7.2, RedHatAI", "--engine-version 0.7.2", "--vllm-engine")]
    [InlineData("vLLM 0.11.0, GPUStack performance lab (dense", "--engine-version 0.11.0", "--async-scheduling")]
    [InlineData("TensorRT-LLM v0.13 perf overview", "--engine-version 0.13.0", "--trtllm-backend")]
    [InlineData("SGLang cookbook, Qwen3 (sglang 0.5.6)", "--engine-version 0.5.6", "--measure")]
    // NIM's own release, whose engines' build it implies: NIM 1.0's without multi-block mode, 1.8's TensorRT engines.
    [InlineData("NVIDIA NIM (TensorRT-LLM), DLI", "--engine nim --engine-version 1.0.3", "--multi-block-mode")]
    [InlineData("NVIDIA NIM (TensorRT-LLM), DLI", "--engine nim --engine-version 1.0.3", "--max-num-batched-tokens")]
    [InlineData("NVIDIA NIM 1.8.0", "--engine nim --engine-version 1.8.0", "--trtllm-backend")]
    public void A_row_whose_source_states_its_release_says_it_instead_of_the_flags_it_implies(string source, string says, string implied)
    {
        var rows = CalibrateRows.Value.Where(r => r.GetProperty("source").GetString()!.StartsWith(source, StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(rows);
        Assert.All(rows, r =>
        {
            var command = r.GetProperty("command").GetString()!;
            Assert.Contains(says, command, StringComparison.Ordinal);
            Assert.DoesNotContain(implied, command, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void The_sglang_cookbook_rows_print_their_uniform_lengths_and_reproduce_their_prediction_through_estimate()
    {
        // The cookbook ran bench_serving's random dataset, which draws lengths per request: the printed command carries
        // them as --workload. (Other SGLang figures, e.g. GPUStack's, were run with fixed lengths.)
        var sglang = CalibrateRows.Value.Where(r => r.GetProperty("source").GetString()!.StartsWith("SGLang cookbook", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(sglang);
        Assert.All(sglang, r => Assert.Contains(" --workload uniform:1-", r.GetProperty("command").GetString()));
        Assert.All(sglang, r => Assert.DoesNotContain("--isl", r.GetProperty("command").GetString()));

        // One row, its printed command run as a user would: the same TTFT as the calibration table's.
        var row = sglang.First(r => r.GetProperty("metric").GetString() == "TTFT mean ms" && r.GetProperty("command").GetString()!.Contains("--concurrency 16 ", StringComparison.Ordinal));
        var command = row.GetProperty("command").GetString()!;
        var run = CliRun.Of(null, [.. CliRun.Args(command)[1..], "--json"]);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(row.GetProperty("predicted").GetDouble(), JsonDocument.Parse(run.Stdout).RootElement.GetProperty("ttft_mean_ms").GetDouble(), 6);
    }

    [Fact]
    public void The_mlperf_rows_reproduce_their_prediction_through_their_printed_command_times_their_replicas()
    {
        // MLPerf's systems run several identical engines on 8 GPUs; the printed command is one of them and the row's
        // prediction is its output tok/s times the replicas the row states.
        var mlperf = CalibrateRows.Value.Where(r => r.GetProperty("source").GetString()!.StartsWith("MLPerf Inference", StringComparison.Ordinal)).ToList();
        Assert.Equal(19, mlperf.Count);
        Assert.All(mlperf, r => Assert.True(r.GetProperty("held_out").GetBoolean()));
        Assert.All(mlperf, r => Assert.Contains(" --engine trtllm ", r.GetProperty("command").GetString(), StringComparison.Ordinal));

        var row = mlperf.Single(r => r.GetProperty("setup").GetString()!.StartsWith("Llama-2-70b-chat-hf 8×H200", StringComparison.Ordinal)
            && r.GetProperty("setup").GetString()!.Contains("MLPerf v4.1", StringComparison.Ordinal));
        Assert.Equal(8, row.GetProperty("replicas").GetInt32());
        var run = CliRun.Of(null, [.. CliRun.Args(row.GetProperty("command").GetString()!)[1..], "--json"]);
        Assert.True(run.ExitCode == 0, run.ToString());
        var replica = JsonDocument.Parse(run.Stdout).RootElement.GetProperty("output_tokens_per_s").GetDouble();
        Assert.Equal(row.GetProperty("predicted").GetDouble(), replica * 8, 6);
    }

    [Fact]
    public void The_vllm_ci_throughput_rows_print_requests_per_second_and_each_reproduces_through_its_estimate_command()
    {
        var rows = CalibrateRows.Value.Where(r => r.GetProperty("source").GetString()!.EndsWith("bench throughput)", StringComparison.Ordinal)).ToList();
        Assert.Equal(9, rows.Count);
        Assert.All(rows, r =>
        {
            Assert.Equal("requests/s", r.GetProperty("metric").GetString());
            Assert.False(r.GetProperty("held_out").GetBoolean()); // they fit the ShareGPT spread (VllmCiFigures)
            var command = r.GetProperty("command").GetString()!;
            // benchmark_throughput: 200 ShareGPT prompts at once on vLLM 0.6's V0 engine, every request counted.
            Assert.Contains(" --async-scheduling off --workload sharegpt --offline --requests 200", command, StringComparison.Ordinal);
            Assert.DoesNotContain("--measure", command, StringComparison.Ordinal);
            var run = CliRun.Of(null, [.. CliRun.Args(command)[1..], "--json"]);
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Equal(r.GetProperty("predicted").GetDouble(), JsonDocument.Parse(run.Stdout).RootElement.GetProperty("requests_per_s").GetDouble(), 6);
        });
    }

    [Fact]
    public void Match_estimates_only_the_rows_it_finds_across_source_setup_and_command_with_the_whole_runs_predictions()
    {
        // A pattern may span the source and the setup (joined by " | "), and case does not matter.
        var pattern = "inferencemax gpt-oss.*H200 TP1 .*concurrency 64,";
        var expected = CalibrateRows.Value.Where(r => System.Text.RegularExpressions.Regex.IsMatch(
            $"{r.GetProperty("source").GetString()} | {r.GetProperty("setup").GetString()} | {r.GetProperty("command").GetString()}", pattern,
            System.Text.RegularExpressions.RegexOptions.IgnoreCase)).ToList();
        Assert.True(expected.Count >= 6, $"{expected.Count} rows"); // both engines' runs, three metrics each

        var run = CliRun.Of(null, "calibrate", "--match", pattern, "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        var rows = JsonDocument.Parse(run.Stdout).RootElement.EnumerateArray().ToList();
        Assert.Equal(expected.Select(Key), rows.Select(Key));
        static (string?, string?, string?, double) Key(JsonElement r) =>
            (r.GetProperty("source").GetString(), r.GetProperty("setup").GetString(), r.GetProperty("metric").GetString(), r.GetProperty("predicted").GetDouble());
    }

    [Fact]
    public void Match_prints_the_table_of_its_rows_with_a_summary_of_only_the_parts_it_has()
    {
        var run = CliRun.Of(null, "calibrate", "--match", "InferenceMAX DeepSeek-R1-0528.*B200 DEP8 FP4.*6553-8192/819-1024, concurrency 256");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("held out of the fit    3 figures", run.Stdout);
        Assert.DoesNotContain("fitted on", run.Stdout); // every InferenceMAX figure is held out: no empty "0 figures" line
        Assert.Contains("    3. disagg estimate --model nvidia/DeepSeek-R1-0528-FP4-v2 --gpu b200 --tp 8 ", run.Stdout);
        Assert.DoesNotContain("    4. ", run.Stdout);
    }

    [Fact]
    public void By_source_summarizes_each_source_and_metric_of_the_rows_it_runs()
    {
        var pattern = "InferenceMAX DeepSeek-R1-0528";
        var rows = JsonDocument.Parse(CliRun.Of(null, "calibrate", "--match", pattern, "--json").Stdout).RootElement.EnumerateArray().ToList();

        var run = CliRun.Of(null, "calibrate", "--match", pattern, "--by-source", "--json");

        Assert.True(run.ExitCode == 0, run.ToString());
        var groups = JsonDocument.Parse(run.Stdout).RootElement.EnumerateArray().ToList();
        // Two engines' runs (SGLang's and TensorRT-LLM's) × three metrics, every matched row in one of them.
        Assert.Equal(6, groups.Count);
        Assert.Equal(rows.Count, groups.Sum(g => g.GetProperty("figures").GetInt32()));
        Assert.All(groups, g =>
        {
            var errors = rows.Where(r => r.GetProperty("source").GetString() == g.GetProperty("source").GetString()
                && r.GetProperty("metric").GetString() == g.GetProperty("metric").GetString()).Select(r => r.GetProperty("error").GetDouble()).ToList();
            Assert.Equal(errors.Count, g.GetProperty("figures").GetInt32());
            Assert.Equal(errors.Count(e => Math.Abs(e) <= CalibrationRunner.Tolerance), g.GetProperty("within_tolerance").GetInt32());
            Assert.Equal(errors.Max(Math.Abs), g.GetProperty("worst_abs_error").GetDouble(), 12);
        });

        var text = CliRun.Of(null, "calibrate", "--match", pattern, "--by-source");
        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Contains("\nTensorRT-LLM 1.1.0rc2, InferenceMAX DeepSeek-R1-0528 (bench_serving random, range ratio 0.8)\n  output tok/s      72       72 ", text.Stdout.ReplaceLineEndings("\n"));
    }

    [Theory]
    [InlineData("--match", "gpt-oss")]
    [InlineData("--by-source")]
    [InlineData("--stated-only")]
    [InlineData("--without-release")]
    public void Match_by_source_stated_only_and_without_release_are_refused_with_fit_which_reads_measured_runs(params string[] option)
    {
        var report = Path.Combine(dir, "c1.json");
        File.WriteAllText(report, "{}");

        var run = CliRun.Of(null, ["calibrate", "--fit", report, "--gpu", "h100-sxm", .. option]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--match, --by-source, --stated-only and --without-release apply to the published figures' table, not to --fit", run.Stderr);
    }

    [Theory]
    [InlineData("(", "is not a regular expression")]
    [InlineData("no such figure anywhere", "finds no row")]
    public void Match_refuses_a_pattern_that_is_broken_or_finds_nothing_naming_the_option(string pattern, string message)
    {
        var run = CliRun.Of(null, "calibrate", "--match", pattern);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains($"--match '{pattern}' {message}", run.Stderr);
        Assert.Empty(run.Stdout);
    }

    // One 'disagg calibrate --json' run: every figure estimated from its printed command, parsed as the CLI parses it.
    private static readonly Lazy<JsonElement[]> CalibrateRows = new(() =>
    {
        var run = CliRun.Of(null, "calibrate", "--json");
        Assert.True(run.Stdout.Length > 0, run.ToString());
        return [.. JsonDocument.Parse(run.Stdout).RootElement.EnumerateArray()];
    });

    /// <summary>The engines the calibration set has figures of (each figure's command names its engine).</summary>
    // Engines with at least one figure held to the tolerance; vLLM's and SGLang's are all held out of the fit.
    public static TheoryData<string> CalibratedEngines() => [.. CalibrationSet.Points.Where(p => p.Checked).Select(p => p.Options.Engine.Engine.Name).Distinct().Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(CalibratedEngines))]
    public void Each_engine_profile_reproduces_its_calibration_figures_within_15_percent_through_the_cli(string engine)
    {
        var rows = CalibrateRows.Value
            .Where(r => r.GetProperty("command").GetString()!.Contains($" --engine {engine} ", StringComparison.Ordinal))
            .Where(r => r.GetProperty("checked").GetBoolean())
            .ToList();

        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.True(Math.Abs(r.GetProperty("error").GetDouble()) <= CalibrationRunner.Tolerance,
            $"{r.GetProperty("command").GetString()}: {r.GetProperty("metric").GetString()} predicted {r.GetProperty("predicted").GetDouble():F1}, published {r.GetProperty("published").GetDouble()} ({r.GetProperty("error").GetDouble():P1})"));
    }

    [Fact]
    public void Fit_turns_bench_reports_into_a_profile_that_estimate_accepts()
    {
        var truth = PerformanceConstants.Resolve(GpuCatalog.H100Sxm, EngineProfiles.Vllm) with { GemmEfficiency = 0.45, StepSeconds = 2.5e-3, FirstTokenSeconds = 20e-3 };
        var engine = new EngineSpec
        {
            Model = ModelCatalog.Llama31_8B, Gpu = GpuCatalog.H100Sxm, WeightDtype = DType.Fp8, Engine = EngineProfiles.Vllm,
            MaxNumSeqs = 1024, Constants = truth,
        };
        var files = WriteBenchReports("bench", (c, isl, osl) => new EstimateOptions
        {
            Engine = engine, InputTokens = isl, OutputTokens = osl, Concurrency = c, Admission = Engine.Scheduling.AdmissionPolicy.OnDemand,
        });
        var profile = Path.Combine(dir, "profile.json");
        var run = CliRun.Of(null, ["calibrate", "--fit", .. files, "--gpu", "h100-sxm", "--tp", "1", "--dtype", "fp8", "--engine", "vllm", "--out", profile]);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("before", run.Stdout);
        var fitted = ProfileFile.Load(profile);
        Assert.InRange(fitted.GemmEfficiency, 0.45 * 0.9, 0.45 * 1.1);
        Assert.InRange(fitted.FirstTokenMs, 20 * 0.8, 20 * 1.2);

        var estimate = CliRun.Of(null, CliRun.Args($"estimate --model {Samples.Model} --gpu h100-sxm --tp 1 --dtype fp8 --engine vllm --isl 128 --osl 16 --concurrency 1 --profile {profile} --json"));
        Assert.True(estimate.ExitCode == 0, estimate.ToString());
        var wrongGpu = CliRun.Of(null, CliRun.Args($"estimate --model {Samples.Model} --gpu h200-sxm --tp 1 --isl 128 --osl 16 --concurrency 1 --profile {profile}"));
        Assert.NotEqual(0, wrongGpu.ExitCode);
        Assert.Contains("--gpu h100-sxm --engine vllm", wrongGpu.Stderr);
    }

    [Fact]
    public void A_nim_fit_runs_the_engines_its_release_built_and_recovers_the_constants()
    {
        // Runs of NIM 1.0's TensorRT engines (no multi-block mode, 32768-token steps) with known constants.
        var truth = PerformanceConstants.Resolve(GpuCatalog.H100Sxm, EngineProfiles.Trtllm) with { GemmEfficiency = 0.45, FirstTokenSeconds = 20e-3 };
        var nim = (new EngineSpec
        {
            Model = ModelCatalog.Llama31_8B, Gpu = GpuCatalog.H100Sxm, WeightDtype = DType.Fp8, Engine = EngineProfiles.Trtllm,
            MaxNumSeqs = EngineProfiles.Trtllm.DefaultMaxNumSeqs(GpuCatalog.H100Sxm), Nim = true, Constants = truth,
        }).AsReleased(new EngineRelease(1, 0, 3));
        var files = WriteBenchReports("nim", (c, isl, osl) => new EstimateOptions
        {
            Engine = nim, InputTokens = isl, OutputTokens = osl, Concurrency = c, Measure = MeasureWindow.All,
        });
        var profile = Path.Combine(dir, "nim.json");
        var run = CliRun.Of(null, ["calibrate", "--fit", .. files, "--gpu", "h100-sxm", "--dtype", "fp8", "--engine", "nim", "--engine-version", "1.0.3", "--out", profile]);
        Assert.True(run.ExitCode == 0, run.ToString());
        var fitted = ProfileFile.Load(profile);
        Assert.InRange(fitted.GemmEfficiency, 0.45 * 0.9, 0.45 * 1.1);
        Assert.InRange(fitted.FirstTokenMs, 20 * 0.8, 20 * 1.2);
    }

    [Fact]
    public void Fit_turns_vllm_metrics_scrapes_into_a_profile_that_recovers_the_constants()
    {
        var truth = PerformanceConstants.Resolve(GpuCatalog.H100Sxm, EngineProfiles.Vllm) with { GemmEfficiency = 0.45, HbmEfficiency = 0.6, StepSeconds = 2.5e-3, FirstTokenSeconds = 20e-3 };
        var files = new List<string>();
        var server = new VllmScrapeText { Requests = 4, PromptTokens = 32, GenerationTokens = 8, TtftSeconds = 0.2, ItlSeconds = 0.3, E2eSeconds = 0.6, TimestampMs = 1_764_590_000_000 };
        foreach (var (c, isl, osl) in FitRuns)
        {
            var measured = Estimator.Run(new EstimateOptions
            {
                Engine = new EngineSpec
                {
                    Model = ModelCatalog.Llama31_8B, Gpu = GpuCatalog.H100Sxm, WeightDtype = DType.Fp8, Engine = EngineProfiles.Vllm,
                    MaxNumSeqs = 1024, Constants = truth,
                },
                InputTokens = isl, OutputTokens = osl, Concurrency = c, Admission = Engine.Scheduling.AdmissionPolicy.OnDemand,
            });
            // The server's view of that run: its sums, and a duration at its throughput with c requests always in flight.
            var n = measured.Requests;
            var seconds = (double)n * osl / measured.OutputTokensPerSecond!.Value;
            var run = new VllmScrapeText
            {
                Requests = n, PromptTokens = isl, GenerationTokens = osl, TtftSeconds = n * measured.TtftMeanMs!.Value / 1e3,
                ItlSeconds = n * (osl - 1) * measured.ItlMeanMs!.Value / 1e3, E2eSeconds = c * seconds,
                TimestampMs = server.TimestampMs + (long)Math.Round(seconds * 1e3),
            };
            var before = Path.Combine(dir, $"c{c}-before.prom");
            var after = Path.Combine(dir, $"c{c}-after.prom");
            File.WriteAllText(before, server.Render());
            server = server.Plus(run);
            File.WriteAllText(after, server.Render());
            files.AddRange([before, after]);
            server = server with { TimestampMs = server.TimestampMs + 5_000 };
        }
        var profile = Path.Combine(dir, "profile.json");
        var fit = CliRun.Of(null, ["calibrate", "--fit", .. files, "--gpu", "h100-sxm", "--dtype", "fp8", "--engine", "vllm", "--out", profile]);

        Assert.True(fit.ExitCode == 0, fit.ToString());
        Assert.True(fit.Stdout.Contains("concurrency 8 (Little's law)", StringComparison.Ordinal), fit.ToString());
        Assert.Contains("before", fit.Stdout);
        var fitted = ProfileFile.Load(profile);
        Assert.True(fitted.GemmEfficiency is > 0.45 * 0.9 and < 0.45 * 1.1, fit.ToString());
        Assert.InRange(fitted.HbmEfficiency, 0.6 * 0.9, 0.6 * 1.1);
        Assert.InRange(fitted.StepOverheadMs, 2.5 * 0.8, 2.5 * 1.2);
        Assert.InRange(fitted.FirstTokenMs, 20 * 0.8, 20 * 1.2);
    }

    [Fact]
    public void A_scrape_without_timestamps_takes_concurrency_and_duration_from_flags()
    {
        var fresh = Path.Combine(dir, "fresh.prom");
        File.WriteAllText(fresh, new VllmScrapeText { Requests = 40, PromptTokens = 512, GenerationTokens = 64, TtftSeconds = 40 * 0.05, ItlSeconds = 40 * 63 * 0.008, E2eSeconds = 40 * 0.55 }.Render());
        var args = $"calibrate --fit {fresh} --gpu h100-sxm --engine vllm --out {Path.Combine(dir, "p.json")}";

        var without = CliRun.Of(null, CliRun.Args(args));
        Assert.Equal(2, without.ExitCode);
        Assert.Contains("--concurrency N", without.Stderr);

        var with = CliRun.Of(null, CliRun.Args($"{args} --concurrency 4 --duration 5.5"));
        Assert.True(with.ExitCode == 0, with.ToString());
        Assert.Contains("40 requests of 512→64 tokens", with.Stdout);
        Assert.Contains("465 output tok/s over 5.5 s (from --duration)", with.Stdout);
        Assert.Equal(3, with.Stdout.Split('\n').Count(l => l.Contains("fresh.prom c=4", StringComparison.Ordinal)));

        // A closed loop at 4 in flight lasted the requests' summed latency (22 s) over 4.
        var littles = CliRun.Of(null, CliRun.Args($"{args} --concurrency 4"));
        Assert.True(littles.ExitCode == 0, littles.ToString());
        Assert.Contains("465 output tok/s over 5.5 s (from Little's law at --concurrency)", littles.Stdout);
    }

    [Fact]
    public void A_served_model_name_that_is_a_path_needs_the_model_flag()
    {
        var fresh = Path.Combine(dir, "fresh.prom");
        File.WriteAllText(fresh, new VllmScrapeText { Model = "/models/llama-8b", Requests = 40, TtftSeconds = 2, ItlSeconds = 40 * 99 * 0.008, E2eSeconds = 40 * 0.9 }.Render());
        var args = $"calibrate --fit {fresh} --gpu h100-sxm --concurrency 2 --out {Path.Combine(dir, "p.json")}";

        var unnamed = CliRun.Of(null, CliRun.Args(args));
        Assert.Equal(2, unnamed.ExitCode);
        Assert.Contains("'/models/llama-8b' is not a catalog id", unnamed.Stderr);
        Assert.Contains("pass --model ID", unnamed.Stderr);

        var named = CliRun.Of(null, CliRun.Args($"{args} --model {Samples.Model}"));
        Assert.True(named.ExitCode == 0, named.ToString());
        Assert.Contains($"on {Samples.Model}", named.Stdout);
    }

    [Fact]
    public void Per_run_concurrencies_must_match_the_runs()
    {
        var server = new VllmScrapeText { Requests = 4, TtftSeconds = 0.4, ItlSeconds = 4, E2eSeconds = 6 };
        var files = new List<string>();
        foreach (var c in new[] { 1, 8 })
        {
            files.Add(Path.Combine(dir, $"c{c}-before.prom"));
            File.WriteAllText(files[^1], server.Render());
            server = server.Plus(new VllmScrapeText { Requests = 40 * c, TtftSeconds = 40 * c * 0.05, ItlSeconds = 40 * c * 99 * 0.01, E2eSeconds = 40 * c * 1.1 });
            files.Add(Path.Combine(dir, $"c{c}-after.prom"));
            File.WriteAllText(files[^1], server.Render());
        }
        string[] Args(params string[] concurrencies) => ["calibrate", "--fit", .. files, "--gpu", "h100-sxm", "--out", Path.Combine(dir, "p.json"), "--concurrency", .. concurrencies];

        var three = CliRun.Of(null, Args("1", "8", "32"));
        Assert.Equal(2, three.ExitCode);
        Assert.Contains("3 values for 2 scraped runs", three.Stderr);

        var two = CliRun.Of(null, Args("1", "8"));
        Assert.True(two.ExitCode == 0, two.ToString());
        Assert.Contains("c1-before.prom→c1-after.prom c=1", two.Stdout);
        Assert.Contains("c8-before.prom→c8-after.prom c=8", two.Stdout);
    }

    [Theory]
    [InlineData(3, "BEFORE AFTER pairs")]
    [InlineData(0, ":3: ")]
    public void Scrapes_that_cannot_make_runs_are_refused_naming_the_file_and_fix(int count, string message)
    {
        var page = new VllmScrapeText { Requests = 4, TtftSeconds = 0.4, ItlSeconds = 4, E2eSeconds = 6 }.Render();
        var files = count == 0
            ? [Path.Combine(dir, "broken.prom")]
            : Enumerable.Range(0, count).Select(i => Path.Combine(dir, $"s{i}.prom")).ToArray();
        foreach (var f in files) File.WriteAllText(f, count == 0 ? "# HELP x y\n# TYPE x gauge\nx{a=\"1\" 2\n" : page);

        var run = CliRun.Of(null, ["calibrate", "--fit", .. files, "--gpu", "h100-sxm", "--concurrency", "1"]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.Stderr);
    }

    [Fact]
    public void Fit_estimates_uniform_bench_runs_with_the_same_ranges_and_seed_and_refuses_other_mixes()
    {
        var uniform = Path.Combine(dir, "uniform.json");
        File.WriteAllText(uniform, JsonSerializer.Serialize(Report(8, 1, 1, Samples.Estimate() with { TtftMeanMs = 200, ItlMeanMs = 10 }) with { Workload = "uniform:1-1999:1-255", Seed = 4 }));
        var spec = new EngineSpec { Model = ModelCatalog.Llama31_8B, Gpu = GpuCatalog.H100Sxm, WeightDtype = DType.Fp8, Engine = EngineProfiles.Vllm };
        var points = BenchMeasurements.Read(uniform, _ => spec).ToList();
        Assert.NotEmpty(points);
        Assert.All(points, p => Assert.Equal((Engine.Workloads.WorkloadSpec.Uniform(1, 1999, 1, 255), 4, 0), (p.Options.Workload, p.Options.Seed, p.Options.InputTokens)));

        var sharegpt = Path.Combine(dir, "sharegpt.json");
        File.WriteAllText(sharegpt, JsonSerializer.Serialize(Report(8, 1, 1, Samples.Estimate() with { TtftMeanMs = 200, ItlMeanMs = 10 }) with { Workload = "sharegpt" }));
        var error = Assert.Throws<Engine.InputException>(() => BenchMeasurements.Read(sharegpt, _ => spec).ToList());
        Assert.Contains("fixed:ISL:OSL or uniform:", error.Message);
    }

    // The clients and lengths of the measured runs each fit test makes: one long prompt alone, a middle load, a busy one.
    private static readonly (int Concurrency, int Isl, int Osl)[] FitRuns = [(1, 2000, 32), (8, 1000, 64), (32, 256, 128)];

    // Each of FitRuns estimated with run(clients, isl, osl) and written as a disagg bench report; the files' paths.
    private List<string> WriteBenchReports(string prefix, Func<int, int, int, EstimateOptions> run)
    {
        var files = new List<string>();
        foreach (var (c, isl, osl) in FitRuns)
        {
            var path = Path.Combine(dir, $"{prefix}-c{c}.json");
            File.WriteAllText(path, JsonSerializer.Serialize(Report(c, isl, osl, Estimator.Run(run(c, isl, osl)))));
            files.Add(path);
        }
        return files;
    }

    private static BenchReport Report(int concurrency, int isl, int osl, EstimateResult r) => new()
    {
        Url = "http://127.0.0.1:8000", Endpoint = "/v1/completions", Model = Samples.Model, Workload = $"fixed:{isl}:{osl}",
        Load = $"concurrency {concurrency}", Concurrency = concurrency, Requests = r.Requests, Completed = r.Requests, Errors = [],
        OutputTokenThroughput = r.OutputTokensPerSecond!.Value,
        TtftMs = Summary(r.TtftMeanMs!.Value), TpotMs = Summary(r.ItlMeanMs!.Value), ItlMs = Summary(r.ItlMeanMs!.Value),
        E2eMs = Summary(r.E2eMs!.Value), Slo = SloSpec.None,
    };

    private static LatencySummary Summary(double mean) => new(10, mean, mean, mean, mean, mean, mean);
}
