using System.Text.Json;
using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Scheduling;
using DisaggServing.Engine.Workloads;
using DisaggServing.Scheduling.Configuration;

namespace DisaggServing.Cli.Tests;

public sealed class SimulateCommandTests : IDisposable
{
    private const string Base = $"simulate --model {Samples.Model} --gpu {Samples.Gpu}";
    private const string Disaggregated = $"{Base} --prefill 2:1 --decode 3:2";
    private const string Fixed = "--workload fixed:256:32 --rate 4 --requests 50";

    private readonly string trace = Path.Combine(Path.GetTempPath(), $"disagg-cli-{Guid.NewGuid():N}.jsonl");

    public SimulateCommandTests() => File.WriteAllLines(trace,
    [
        """{"arrival_s": 0.0, "input_tokens": 100, "output_tokens": 10}""",
        """{"arrival_s": 0.5, "input_tokens": 200, "output_tokens": 20}""",
        """{"arrival_s": 1.5, "input_tokens": 300, "output_tokens": 30}""",
    ]);

    public void Dispose() => File.Delete(trace);

    private static (CliRun Run, FakeEngineRunner Engine) Simulate(string commandLine, FakeEngineRunner? engine = null)
    {
        engine ??= new FakeEngineRunner();
        return (CliRun.Of(engine, CliRun.Args(commandLine)), engine);
    }

    [Fact]
    public void Disaggregated_pools_take_tp_from_n_colon_tp_and_defaults_from_vllm()
    {
        var (run, engine) = Simulate($"{Disaggregated} {Fixed}");
        Assert.Equal(0, run.ExitCode);
        var cluster = engine.Cluster!;
        Assert.True(cluster.IsDisaggregated);
        Assert.Equal((2, 1), (cluster.Prefill!.Replicas, cluster.Prefill.Engine.TensorParallel));
        Assert.Equal((3, 2), (cluster.Decode!.Replicas, cluster.Decode.Engine.TensorParallel));
        Assert.Null(cluster.Colocated);
        Assert.Same(RoutingProfiles.PrefixAware, cluster.Routing);
        Assert.Equal(AdmissionPolicy.OnDemand, cluster.Admission);
        var decode = cluster.Decode.Engine;
        Assert.Equal(Samples.Model, decode.Model.Id);
        Assert.Equal((DType.Bf16, 1, 1024, 8192, 0.9),
            (decode.WeightDtype, decode.PipelineParallel, decode.MaxNumSeqs, decode.MaxNumBatchedTokens, decode.EffectiveGpuMemoryUtilization));
        Assert.Equal(Engine.Metrics.SloSpec.None, engine.Slo);
    }

    [Fact]
    public void The_workload_is_generated_from_rate_requests_and_seed()
    {
        var (_, engine) = Simulate($"{Disaggregated} {Fixed}");
        var expected = WorkloadSpec.Fixed(256, 32).Generate(50, 4, seed: 0);
        Assert.Equal(expected, engine.Workload);

        var (_, seeded) = Simulate($"{Disaggregated} {Fixed} --seed 7");
        Assert.Equal(WorkloadSpec.Fixed(256, 32).Generate(50, 4, seed: 7), seeded.Workload);
    }

    [Fact]
    public void A_uniform_workload_draws_its_lengths_from_the_seed()
    {
        var (_, engine) = Simulate($"{Disaggregated} --workload uniform:1-1000:1-200 --rate 4 --requests 50 --seed 3");
        Assert.Equal(WorkloadSpec.Uniform(1, 1000, 1, 200).Generate(50, 4, seed: 3), engine.Workload);
    }

    [Fact]
    public void Colocated_routing_admission_slo_and_engine_options_reach_the_engine()
    {
        var (run, engine) = Simulate(
            $"{Base} --colocated 4:2 --workload sharegpt --rate 2.5 --requests 20 --slo-ttft-ms 400 --slo-tpot-ms 50 " +
            "--routing round-robin --admission reserve-full --dtype fp8 --pp 2 --max-num-seqs 128 --max-num-batched-tokens 4096");
        Assert.Equal(0, run.ExitCode);
        var cluster = engine.Cluster!;
        Assert.False(cluster.IsDisaggregated);
        Assert.Equal((4, 2, 2), (cluster.Colocated!.Replicas, cluster.Colocated.Engine.TensorParallel, cluster.Colocated.Engine.PipelineParallel));
        Assert.Equal((RoutingProfiles.RoundRobin, AdmissionPolicy.ReserveFull), (cluster.Routing, cluster.Admission));
        Assert.Equal((DType.Fp8, 128, 4096),
            (cluster.Colocated.Engine.WeightDtype, cluster.Colocated.Engine.MaxNumSeqs, cluster.Colocated.Engine.MaxNumBatchedTokens));
        Assert.Equal((400.0, 50.0), (engine.Slo!.TtftMs, engine.Slo.TpotMs));
        Assert.Equal(20, engine.Workload!.Count);
    }

    [Fact]
    public void A_trace_replays_its_own_arrivals_without_a_rate()
    {
        var (run, engine) = Simulate($"{Disaggregated} --workload trace:{trace}");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal([0.0, 0.5, 1.5], engine.Workload!.Select(r => r.ArrivalSeconds));

        var (_, capped) = Simulate($"{Disaggregated} --workload trace:{trace} --requests 2");
        Assert.Equal(2, capped.Workload!.Count);
    }

    [Fact]
    public void A_rate_with_a_trace_is_refused()
    {
        var (run, engine) = Simulate($"{Disaggregated} --workload trace:{trace} --rate 3");
        EstimateCommandTests.AssertBadInput(run, "--rate");
        Assert.Equal(0, engine.Calls);
    }

    [Fact]
    public void A_missing_trace_file_is_bad_input()
    {
        var missing = trace + ".missing";
        var (run, _) = Simulate($"{Disaggregated} --workload trace:{missing}");
        EstimateCommandTests.AssertBadInput(run, missing);
    }

    [Fact]
    public void A_malformed_trace_names_the_line()
    {
        File.AppendAllText(trace, "{\"arrival_s\": 2, \"input_tokens\": 0, \"output_tokens\": 1}\n");
        var (run, _) = Simulate($"{Disaggregated} --workload trace:{trace}");
        EstimateCommandTests.AssertBadInput(run, "line 4");
    }

    [Fact]
    public void Find_goodput_searches_with_requests_seed_slo_and_target()
    {
        var (run, engine) = Simulate(
            $"{Disaggregated} --workload sharegpt --requests 500 --seed 3 --slo-ttft-ms 400 --find-goodput --target-attainment 0.95");
        Assert.Equal(0, run.ExitCode);
        var search = engine.GoodputSearch!.Value;
        Assert.Equal((WorkloadKind.ShareGpt, 500, 3, 0.95), (search.Workload.Kind, search.Requests, search.Seed, search.Target));
        Assert.Equal((400.0, (double?)null), (engine.Slo!.TtftMs, engine.Slo.TpotMs));
        Assert.Null(engine.Workload);
    }

    [Fact]
    public void Find_goodput_defaults_to_90_percent_and_notes_an_ignored_rate()
    {
        var (run, engine) = Simulate($"{Disaggregated} {Fixed} --slo-tpot-ms 50 --find-goodput");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(0.9, engine.GoodputSearch!.Value.Target);
        Assert.Contains("--rate is ignored", run.Stderr);
    }

    [Theory]
    [InlineData("--prefill 2:1 --decode 2:1 --workload sharegpt --rate 1 --requests 10 --find-goodput", "--slo-ttft-ms")]
    [InlineData("--prefill 2:1 --decode 2:1 --workload sharegpt --rate 1 --slo-ttft-ms 100 --find-goodput", "--requests")]
    [InlineData("--prefill 2:1 --decode 2:1 --workload trace:x.jsonl --slo-ttft-ms 100 --find-goodput", "--workload")]
    [InlineData("--prefill 2:1 --decode 2:1 --workload sharegpt --requests 10", "--rate")]
    [InlineData("--prefill 2:1 --decode 2:1 --workload sharegpt --rate 1", "--requests")]
    [InlineData("--prefill 2:1 --workload sharegpt --rate 1 --requests 10", "--decode")]
    [InlineData("--decode 2:1 --workload sharegpt --rate 1 --requests 10", "--prefill")]
    [InlineData("--colocated 2:1 --prefill 2:1 --decode 2:1 --workload sharegpt --rate 1 --requests 10", "--colocated")]
    [InlineData("--workload sharegpt --rate 1 --requests 10", "--colocated")]
    [InlineData("--prefill 0:1 --decode 2:1 --workload sharegpt --rate 1 --requests 10", "--prefill")]
    [InlineData("--prefill 2:0 --decode 2:1 --workload sharegpt --rate 1 --requests 10", "--prefill")]
    [InlineData("--prefill 2:1 --decode two --workload sharegpt --rate 1 --requests 10", "--decode")]
    [InlineData("--prefill 2:1 --decode 2:3 --workload sharegpt --rate 1 --requests 10", "--decode '2:3': --tp 3")]
    [InlineData("--colocated 2:1 --workload sharegpt --rate 0 --requests 10", "--rate")]
    [InlineData("--colocated 2:1 --workload sharegpt --rate -1 --requests 10", "--rate")]
    [InlineData("--colocated 2:1 --workload sharegpt --rate fast --requests 10", "--rate")]
    [InlineData("--colocated 2:1 --workload sharegpt --rate 1 --requests -5", "--requests")]
    [InlineData("--colocated 2:1 --workload sharegpt --rate 1 --requests 0", "--requests")]
    [InlineData("--colocated 2:1 --workload fixed:0:10 --rate 1 --requests 10", "--workload")]
    [InlineData("--colocated 2:1 --workload poisson --rate 1 --requests 10", "--workload")]
    [InlineData("--colocated 2:1 --workload prefix:10:2048:128 --rate 1 --requests 10", "--workload")]
    [InlineData("--colocated 2:1 --rate 1 --requests 10", "--workload")]
    [InlineData("--colocated 2:1 --workload sharegpt --rate 1 --requests 10 --slo-ttft-ms 0", "--slo-ttft-ms")]
    [InlineData("--colocated 2:1 --workload sharegpt --rate 1 --requests 10 --slo-tpot-ms -3", "--slo-tpot-ms")]
    [InlineData("--colocated 2:1 --workload sharegpt --rate 1 --requests 10 --target-attainment 1.5", "--target-attainment")]
    [InlineData("--colocated 2:1 --workload sharegpt --rate 1 --requests 10 --routing random", "--routing")]
    [InlineData("--colocated 2:1 --workload sharegpt --rate 1 --requests 10 --admission lazy", "--admission")]
    [InlineData("--colocated 2:1 --workload sharegpt --rate 1 --requests 10 --pp 0", "--pp")]
    [InlineData("--colocated 2:1 --workload sharegpt --rate 1 --requests 10 --seed x", "--seed")]
    public void Bad_input_exits_2_naming_the_option(string rest, string named)
    {
        var (run, engine) = Simulate($"{Base} {rest}");
        EstimateCommandTests.AssertBadInput(run, named);
        Assert.Equal(0, engine.Calls);
    }

    [Fact]
    public void A_topology_brings_its_routers_scheduling_unless_routing_is_given()
    {
        var (run, engine) = Simulate("simulate --topology llama70b-pd --workload prefix:4:1024:64:16 --rate 1 --requests 10");
        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Same(RoutingProfiles.PrefixAware, engine.Cluster!.Routing);
        Assert.Equal(256, engine.Cluster.DecodeOnlyThresholdTokens);
        Assert.All(engine.Workload!, w => Assert.Equal(1024, w.SharedPrefixTokens));

        var (_, loadOnly) = Simulate("simulate --topology llama70b-pd --workload prefix:4:1024:64:16 --rate 1 --requests 10 --routing least-load");
        Assert.Same(RoutingProfiles.LeastLoad, loadOnly.Cluster!.Routing);
    }

    [Fact]
    public void Json_is_the_reports_own_json()
    {
        var (run, engine) = Simulate($"{Disaggregated} {Fixed} --json");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(engine.Report.ToJson() + Environment.NewLine, run.Stdout);
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.Equal(110, json.RootElement.GetProperty("ttft_ms").GetProperty("p50").GetDouble());
        Assert.Equal(4.6, json.RootElement.GetProperty("goodput_rps").GetDouble());
    }

    [Fact]
    public void Table_shows_percentiles_attainment_and_goodput()
    {
        var (run, _) = Simulate($"{Disaggregated} {Fixed}");
        Assert.Equal(0, run.ExitCode);
        foreach (var text in new[] { "prefill 2x TP1 + decode 3x TP2", "p50", "p90", "p99", "TTFT", "TPOT", "ITL", "E2E",
                     "92.0 %", "goodput (req/s)", "4.60", "simulated s", "wall s", "[bracketed] text" })
        {
            Assert.Contains(text, run.Stdout);
        }
    }
}
