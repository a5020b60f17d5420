using System.Text.Json;
using CsCheck;
using DisaggServing.Engine.Catalog;

namespace DisaggServing.Cli.Tests;

/// <summary>
/// <c>disagg simulate</c> over random pools (disaggregated prefill and decode, or colocated) of every catalogued model on
/// each GPU and engine, under random workloads and rates: each run completes every request it was given, with finite
/// latencies and no failed KV transfer, or is refused as bad input in one line; none ends in an internal error.
/// </summary>
[Trait("Category", "EndToEnd")]
public class SimulatePropertyTests
{
    private const int Requests = 24, Draws = 150;
    private static readonly string[] Models = [.. ModelCatalog.All.Keys.Order(StringComparer.Ordinal)];
    private static readonly string[] Gpus = ["a100-80g", "h100-sxm", "h200-sxm", "b200"];
    private static readonly string[] Engines = ["vllm", "sglang", "trtllm"];
    private static readonly string[] Workloads = ["fixed:1000:64", "uniform:50-3000:2-200", "sharegpt", "prefix:4:512:64:32"];
    private static readonly double[] Rates = [0.5, 4, 50];

    [Fact]
    public void A_random_simulation_completes_every_request_with_finite_latencies_or_is_refused_in_one_line()
    {
        var ran = 0;
        Gen.Select(Gen.Int[0, Models.Length - 1], Gen.Int[0, Gpus.Length - 1], Gen.Int[0, Engines.Length - 1],
                Gen.Int[0, 3], Gen.Int[0, 3], Gen.Bool, Gen.Int[0, Workloads.Length - 1], Gen.Int[0, Rates.Length - 1])
            .Select((model, gpu, engine, prefillTp, decodeTp, disaggregated, workload, rate) =>
            {
                var pools = disaggregated ? $"--prefill 1:{1 << prefillTp} --decode 1:{1 << decodeTp}" : $"--colocated 2:{1 << prefillTp}";
                return $"simulate --model {Models[model]} --gpu {Gpus[gpu]} --engine {Engines[engine]} {pools} "
                    + $"--workload {Workloads[workload]} --rate {Rates[rate].ToString(System.Globalization.CultureInfo.InvariantCulture)} --requests {Requests} --json";
            })
            .Sample(commandLine =>
            {
                var run = CliRun.Of(null, CliRun.Args(commandLine));
                Assert.True(run.ExitCode is ExitCodes.Ok or ExitCodes.BadInput, $"{commandLine}\n{run}");
                if (run.ExitCode == ExitCodes.BadInput)
                {
                    run.AssertOneErrorLineLast();
                    return;
                }
                var json = JsonDocument.Parse(run.Stdout).RootElement;
                Assert.True(json.GetProperty("completed").GetInt32() == Requests, $"{commandLine}\n{run.Stdout}");
                // Disaggregated runs report their KV transfers; colocated ones have none.
                if (json.TryGetProperty("failed_kv_transfers", out var failed)) Assert.Equal(0, failed.GetInt32());
                var ttft = json.GetProperty("ttft_ms").GetProperty("mean").GetDouble();
                var e2e = json.GetProperty("e2e_ms").GetProperty("mean").GetDouble();
                Assert.True(double.IsFinite(ttft) && ttft > 0 && double.IsFinite(e2e) && e2e >= ttft, $"{commandLine}\nttft {ttft}, e2e {e2e}");
                ran++;
            }, iter: Draws, threads: 1);
        // Guards the property against vacuity: many draws are refused (a pool too small for its model), not most.
        Assert.True(ran > Draws / 5, $"only {ran} of {Draws} draws ran");
    }
}
