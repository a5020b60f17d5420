using System.Text.Json;
using CsCheck;
using DisaggServing.Engine.Catalog;

namespace DisaggServing.Cli.Tests;

/// <summary>
/// <c>disagg estimate</c> over random combinations of every catalogued model and alias, GPU, engine, parallelism, weight
/// format, release and load: each either runs, with finite figures, says in JSON and one line that the layout does not
/// fit, or is refused as bad input in one line; none ends in an internal error. What users type is open-ended, so the
/// combinations are drawn rather than listed.
/// </summary>
[Trait("Category", "EndToEnd")]
public class EstimatePropertyTests
{
    private static readonly string[] Models = [.. ModelCatalog.All.Keys.Concat(ModelCatalog.Aliases.Keys).Order(StringComparer.Ordinal)];
    private static readonly string[] Gpus = ["a100-80g", "a100-40g", "h100-sxm", "h200-sxm", "b200"];
    private static readonly string[] Engines = ["vllm", "sglang", "trtllm", "nim"];
    // Empty entries weight each option's default: most commands leave these flags out.
    private static readonly string[] Dtypes = ["", "", "", "--dtype fp8", "--dtype fp4", "--dtype bf16"];
    private static readonly string[] Parallel = ["", "", "", "--ep {tp}", "--attention-dp", "--ep {tp} --attention-dp", "--pp 2"];
    private static readonly string[] Releases = ["", "", "", "--engine-version 0.5.4", "--engine-version 0.11.0", "--engine-version 0.13.0", "--engine-version 1.2.0"];
    private static readonly int[] Prompts = [128, 1000, 4000], Outputs = [2, 64, 500];
    private static readonly string[] Loads =
    [
        "--isl {isl} --osl {osl} --concurrency 4 --requests 12",
        "--isl {isl} --osl {osl} --offline --requests 16",
        "--isl {isl} --osl {osl} --random-range-ratio 0.8 --concurrency 8 --requests 16",
        "--workload sharegpt:300:200 --request-rate 4 --requests 12",
        "--workload uniform:100-900:20-300 --request-rate inf --requests 12",
    ];

    private const int Draws = 400;

    [Fact]
    public void A_random_estimate_runs_with_finite_figures_or_is_refused_in_one_line_never_failing_internally()
    {
        var ran = 0;
        Gen.Select(Gen.Int[0, Models.Length - 1], Gen.Int[0, Gpus.Length - 1], Gen.Int[0, Engines.Length - 1], Gen.Int[0, 3],
                Gen.Int[0, Dtypes.Length - 1], Gen.Int[0, Parallel.Length - 1], Gen.Int[0, Releases.Length - 1],
                Gen.Select(Gen.Int[0, Loads.Length - 1], Gen.Int[0, Prompts.Length - 1], Gen.Int[0, Outputs.Length - 1]))
            .Select((model, gpu, engine, tpPower, dtype, parallel, release, load) =>
            {
                var tp = 1 << tpPower;
                var (shape, prompt, output) = load;
                var (isl, osl) = (Prompts[prompt], Outputs[output]);
                return $"estimate --model {Models[model]} --gpu {Gpus[gpu]} --tp {tp} --engine {Engines[engine]} {Dtypes[dtype]} "
                    + $"{Parallel[parallel].Replace("{tp}", tp.ToString(), StringComparison.Ordinal)} {Releases[release]} "
                    + $"{Loads[shape].Replace("{isl}", isl.ToString(), StringComparison.Ordinal).Replace("{osl}", osl.ToString(), StringComparison.Ordinal)} --json";
            })
            .Sample(commandLine =>
            {
                var run = CliRun.Of(null, CliRun.Args(commandLine));
                Assert.True(run.ExitCode is ExitCodes.Ok or ExitCodes.DoesNotFit or ExitCodes.BadInput, $"{commandLine}\n{run}");
                if (run.ExitCode != ExitCodes.Ok) run.AssertOneErrorLineLast();
                if (run.ExitCode == ExitCodes.BadInput) return;
                // A layout that does not fit still answers in JSON, saying so.
                var json = JsonDocument.Parse(run.Stdout).RootElement;
                Assert.Equal(run.ExitCode == ExitCodes.Ok, json.GetProperty("fits").GetBoolean());
                if (run.ExitCode == ExitCodes.DoesNotFit) return;
                foreach (var figure in new[] { "ttft_mean_ms", "itl_mean_ms", "e2e_mean_ms", "output_tokens_per_s" })
                {
                    var value = json.GetProperty(figure).GetDouble();
                    Assert.True(double.IsFinite(value) && value > 0, $"{commandLine}\n{figure} = {value}");
                }
                ran++;
            }, iter: Draws, threads: 1);
        // Guards the property against vacuity: most draws are refused (a layout too small, a format the GPU lacks), but
        // a good share of them runs.
        Assert.True(ran > Draws / 5, $"only {ran} of {Draws} draws ran");
    }
}
