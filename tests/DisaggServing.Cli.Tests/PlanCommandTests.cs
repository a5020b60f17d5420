using System.Text.Json;
using System.Text.RegularExpressions;
using DisaggServing.Topology;
using DisaggServing.Topology.Files;
using DisaggServing.Topology.Manifests;
using DisaggServing.Topology.Preflight;

namespace DisaggServing.Cli.Tests;

public partial class PlanCommandTests
{
    private const string Model = "--model meta-llama/Llama-3.3-70B-Instruct --dtype fp8 --gpus h100-sxm --max-gpus 48 --requests 300";

    // DistServe's case for disaggregation: 4k-token prompts under a 25 ms TPOT bound. Prefill chunks stretch a
    // colocated engine's decode steps past it; a P/D split keeps decode steps short.
    private const string LongPromptTightTpot = "--workload fixed:4096:512 --rate 12 --slo-ttft-ms 2000 --slo-tpot-ms 25";

    // And against it: short prompts under a loose TPOT bound, where prefill interference costs nothing that matters.
    private const string ShortPromptLooseTpot = "--workload fixed:256:256 --rate 12 --slo-ttft-ms 2000 --slo-tpot-ms 100";

    [Fact]
    public void Long_prompts_under_a_tight_tpot_plan_pd_and_it_beats_the_best_colocated_plan_per_dollar()
    {
        var plan = Plan(LongPromptTightTpot);
        var best = plan.GetProperty("best");
        Assert.NotEqual(JsonValueKind.Null, best.GetProperty("prefill").ValueKind);
        Assert.Equal(JsonValueKind.Null, best.GetProperty("colocated").ValueKind);
        var colocated = Candidates(plan).Where(c => c.GetProperty("colocated").ValueKind != JsonValueKind.Null && c.GetProperty("meets").GetBoolean()).ToList();
        var bestColocatedPerDollar = colocated.Count == 0 ? 0 : colocated.Max(PerDollar);
        Assert.True(PerDollar(best) > bestColocatedPerDollar, $"P/D {PerDollar(best)} vs colocated {bestColocatedPerDollar} goodput per $/hour");
    }

    [Fact]
    public void Short_prompts_under_a_loose_tpot_plan_colocated()
    {
        var best = Plan(ShortPromptLooseTpot).GetProperty("best");
        Assert.NotEqual(JsonValueKind.Null, best.GetProperty("colocated").ValueKind);
        Assert.Equal(JsonValueKind.Null, best.GetProperty("prefill").ValueKind);
        Assert.Equal(JsonValueKind.Null, best.GetProperty("decode").ValueKind);
    }

    [Fact]
    public void The_best_is_the_cheapest_candidate_that_meets_and_every_candidate_has_the_documented_fields()
    {
        var plan = Plan(ShortPromptLooseTpot);
        var best = plan.GetProperty("best");
        Assert.True(best.GetProperty("meets").GetBoolean());
        var cheapestMeeting = Candidates(plan).Where(c => c.GetProperty("meets").GetBoolean()).Min(c => c.GetProperty("usd_per_hour").GetDouble());
        Assert.Equal(cheapestMeeting, best.GetProperty("usd_per_hour").GetDouble());
        foreach (var candidate in Candidates(plan))
            foreach (var field in new[] { "gpu", "instance_type", "prefill", "decode", "colocated", "gpus", "nodes", "usd_per_hour", "goodput_rps", "slo_attainment", "meets", "usd_per_million_output_tokens" })
                Assert.True(candidate.TryGetProperty(field, out _), $"missing {field}");
        Assert.Equal(55.04, best.GetProperty("usd_per_hour").GetDouble() / best.GetProperty("nodes").GetInt32(), 6);
    }

    [Fact]
    public void The_written_topology_passes_preflight_publishes_an_autoscaler_per_role_and_resimulates_within_the_slo()
    {
        var path = Path.Combine(Path.GetTempPath(), $"plan-{Guid.NewGuid():N}.json");
        try
        {
            var run = CliRun.Of(null, CliRun.Args($"plan {Model} {LongPromptTightTpot} --json --out {path}"));
            Assert.True(run.ExitCode == 0, run.ToString());
            var best = JsonDocument.Parse(run.Stdout).RootElement.GetProperty("best");

            var spec = TopologyFileLoader.Load(path);
            var report = TopologyPreflight.Run(spec);
            Assert.False(report.HasErrors, string.Join("\n", report.Errors.Select(e => e.Message)));

            var manifests = ManifestBuilder.Build(spec);
            var documents = manifests.Files.SelectMany(f => f.Yaml.Split("\n---", StringSplitOptions.RemoveEmptyEntries)).ToList();
            var limits = documents.Where(d => d.Contains("kind: NodePool", StringComparison.Ordinal))
                .Sum(d => GpuLimit().Match(d) is { Success: true } m ? int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : 0);
            Assert.True(limits >= best.GetProperty("gpus").GetInt32(), $"NodePool limits {limits} < plan's {best.GetProperty("gpus")} GPUs");
            var scaledObjects = documents.Count(d => d.Contains("kind: ScaledObject", StringComparison.Ordinal));
            Assert.Equal(spec.Pools.Count, scaledObjects);
            Assert.Equal(2, spec.Pools.Count); // prefill and decode

            var resimulated = CliRun.Of(null, CliRun.Args($"simulate --topology {path} {LongPromptTightTpot} --requests 300 --seed 1 --json"));
            Assert.True(resimulated.ExitCode == 0, resimulated.ToString());
            Assert.True(JsonDocument.Parse(resimulated.Stdout).RootElement.GetProperty("slo_attainment").GetDouble() >= 0.9, resimulated.Stdout);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Preflight_and_manifests_take_the_written_topology_file()
    {
        var path = Path.Combine(Path.GetTempPath(), $"plan-{Guid.NewGuid():N}.json");
        var output = Path.Combine(Path.GetTempPath(), $"plan-manifests-{Guid.NewGuid():N}");
        try
        {
            var run = CliRun.Of(null, CliRun.Args($"plan {Model} {ShortPromptLooseTpot} --out {path}"));
            Assert.True(run.ExitCode == 0, run.ToString());

            var preflight = CliRun.Of(null, CliRun.Args($"preflight --topology {path}"));
            Assert.True(preflight.ExitCode == 0, preflight.ToString());
            var manifests = CliRun.Of(null, CliRun.Args($"manifests --topology {path} --output {output}"));
            Assert.True(manifests.ExitCode == 0, manifests.ToString());
            var yaml = string.Concat(Directory.GetFiles(output, "*.yaml", SearchOption.AllDirectories).Select(File.ReadAllText));
            Assert.Contains("kind: NodePool", yaml, StringComparison.Ordinal);
            Assert.Contains("kind: ScaledObject", yaml, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
            if (Directory.Exists(output)) Directory.Delete(output, recursive: true);
        }
    }

    [Fact]
    public void A_speculative_plan_writes_its_speculation_onto_the_pools_that_decode()
    {
        var path = Path.Combine(Path.GetTempPath(), $"plan-{Guid.NewGuid():N}.json");
        try
        {
            var run = CliRun.Of(null, CliRun.Args($"plan {Model} {ShortPromptLooseTpot} --speculative-method ngram --num-speculative-tokens 2 --acceptance-length 1.5 --out {path}"));
            Assert.True(run.ExitCode == 0, run.ToString());
            var spec = TopologyFileLoader.Load(path);
            Assert.All(spec.Pools, p => Assert.Equal(p.Role == PoolRole.Prefill ? "" : "ngram", p.Speculation.Method));
            Assert.All(spec.Pools.Where(p => p.Role != PoolRole.Prefill), p => Assert.Equal((2, 1.5), (p.Speculation.NumSpeculativeTokens, p.Speculation.AcceptanceLength)));
            Assert.False(TopologyPreflight.Run(spec).HasErrors);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void An_eagle_plan_written_out_needs_the_draft_head_vllm_loads_and_says_so_before_searching()
    {
        var run = CliRun.Of(null, CliRun.Args($"plan {Model} {ShortPromptLooseTpot} --speculative-method eagle3 --num-speculative-tokens 3 --acceptance-length 2.5 --out /tmp/unused-plan.json"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("needs --speculative-model", run.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists("/tmp/unused-plan.json"));
    }

    [Fact]
    public void A_topology_that_is_neither_a_file_nor_a_reference_name_is_rejected_naming_both()
    {
        var run = CliRun.Of(null, CliRun.Args("manifests --topology no-such-topology --output /tmp/unused-manifests"));
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("no-such-topology", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("llama70b-pd", run.Stderr, StringComparison.Ordinal);
        var missing = CliRun.Of(null, CliRun.Args("preflight --topology /nonexistent/plan.json"));
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("/nonexistent/plan.json", missing.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_price_file_overrides_the_catalog()
    {
        var path = Path.Combine(Path.GetTempPath(), $"prices-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """{"p5.48xlarge": 10}""");
        try
        {
            var best = Plan($"{ShortPromptLooseTpot} --prices {path}").GetProperty("best");
            Assert.Equal(10.0 * best.GetProperty("nodes").GetInt32(), best.GetProperty("usd_per_hour").GetDouble(), 6);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Plan_without_an_slo_is_rejected_naming_the_options()
    {
        var run = CliRun.Of(null, CliRun.Args($"plan {Model} --workload fixed:256:256 --rate 12"));
        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--slo-ttft-ms", run.Stderr);
    }

    private static JsonElement Plan(string args)
    {
        var run = CliRun.Of(null, CliRun.Args($"plan {Model} {args} --json"));
        Assert.True(run.ExitCode == 0, run.ToString());
        return JsonDocument.Parse(run.Stdout).RootElement;
    }

    private static IEnumerable<JsonElement> Candidates(JsonElement plan) => plan.GetProperty("candidates").EnumerateArray();

    private static double PerDollar(JsonElement c) => c.GetProperty("goodput_rps").GetDouble() / c.GetProperty("usd_per_hour").GetDouble();

    [GeneratedRegex("""limits:\s*\n\s*nvidia\.com/gpu:\s*"?(\d+)"?""")]
    private static partial Regex GpuLimit();
}
