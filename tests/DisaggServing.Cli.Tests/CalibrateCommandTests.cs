using DisaggServing.Bench;
using System.Text.Json;
using DisaggServing.Cli.Bench;
using DisaggServing.Cli.Commands;
using DisaggServing.Engine.Calibration;
using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Estimation;
using DisaggServing.Engine.Metrics;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Cli.Tests;

public class CalibrateCommandTests
{
    [Fact]
    public void Every_calibration_figure_is_reproduced_by_its_printed_estimate_command()
    {
        var command = new CalibrateCommand(new CliContext(TextWriter.Null, TextWriter.Null, new FakeEngineRunner(), ShowProgress: false));
        Assert.All(CalibrationSet.Points, p => Assert.Equal(p.Options, command.Parse(p)));
    }

    [Fact]
    public void Fit_turns_bench_reports_into_a_profile_that_estimate_accepts()
    {
        var truth = PerformanceConstants.Resolve(GpuCatalog.H100Sxm, EngineProfiles.Vllm) with { GemmEfficiency = 0.45, StepSeconds = 2.5e-3, FirstTokenSeconds = 20e-3 };
        var dir = Directory.CreateTempSubdirectory("disagg-fit-").FullName;
        try
        {
            var files = new List<string>();
            foreach (var (c, isl, osl) in new[] { (1, 2000, 32), (8, 1000, 64), (32, 256, 128) })
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
                var path = Path.Combine(dir, $"bench-c{c}.json");
                File.WriteAllText(path, JsonSerializer.Serialize(Report(c, isl, osl, measured)));
                files.Add(path);
            }
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
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
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
