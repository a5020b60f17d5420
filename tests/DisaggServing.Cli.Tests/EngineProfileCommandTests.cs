using System.Text.Json;
using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Performance;
using DisaggServing.Engine.Scheduling;
using DisaggServing.Topology;
using DisaggServing.Topology.Files;
using DisaggServing.Topology.Preflight;

namespace DisaggServing.Cli.Tests;

/// <summary><c>--engine</c> and <c>--profile</c> on plan and on simulate --topology, through the CLI.</summary>
public sealed class EngineProfileCommandTests : IDisposable
{
    private const string PlanOn = "plan --model meta-llama/Llama-3.3-70B-Instruct --dtype fp8 --max-gpus 16 --requests 200 " +
        "--workload fixed:256:256 --rate 8 --slo-ttft-ms 2000 --slo-tpot-ms 100 --gpus";
    private const string Plan = $"{PlanOn} h100-sxm";
    private const string Load = "--workload fixed:256:32 --rate 4 --requests 50";

    private readonly string dir = Directory.CreateTempSubdirectory("disagg-engine-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    // A profile for h100-sxm/ENGINE whose GPU is half as efficient as the built-in one: slow enough to change a plan.
    private string SlowProfile(ServingEngine engine, string gpu = "h100-sxm")
    {
        var profile = EngineProfiles.For(engine);
        var builtIn = PerformanceConstants.Resolve(GpuCatalog.Get(gpu, "gpu"), profile);
        var slow = builtIn with { GemmEfficiency = builtIn.GemmEfficiency / 2, HbmEfficiency = builtIn.HbmEfficiency / 2 };
        var path = Path.Combine(dir, $"profile-{gpu}-{profile.Name}.json");
        File.WriteAllText(path, ProfileFile.From(GpuCatalog.Get(gpu, "gpu"), engine, slow, "test").ToJson());
        return path;
    }

    private string PlanTopology(string flags)
    {
        var path = Path.Combine(dir, $"plan-{Guid.NewGuid():N}.json");
        var run = CliRun.Of(null, CliRun.Args($"{Plan} {flags} --json --out {path}"));
        Assert.True(run.ExitCode == 0, run.ToString());
        return path;
    }

    [Theory]
    [InlineData("", "vllm", 1024, 8192)]
    [InlineData("--engine sglang", "sglang", 2048, 8192)]
    [InlineData("--engine trtllm", "trtllm", 2048, 8192)]
    public void Plan_writes_its_engine_and_the_scheduler_limits_it_simulated_into_the_topology(string flags, string engine, int seqs, int tokens)
    {
        var spec = TopologyFileLoader.Load(PlanTopology(flags));

        Assert.Equal(engine, spec.Engine.ServingEngine);
        Assert.Equal(engine != "vllm", TopologyPreflight.Run(spec).Warnings.Any(w => w.RuleId == "serving-engine"));
        Assert.All(spec.Pools, p => Assert.Equal((seqs, tokens), (p.MaxNumSeqs, p.MaxNumBatchedTokens)));
        Assert.Equal("", spec.Local.Profile);
    }

    [Fact]
    public void A_vllm_release_the_plan_modelled_is_the_image_the_topology_runs_and_is_simulated_as()
    {
        var spec = TopologyFileLoader.Load(PlanTopology("--engine-version 0.11.0"));
        Assert.Equal("v0.11.0", spec.Engine.VllmVersion);
        Assert.Equal(new EngineRelease(0, 11, 0), spec.Engine.ModelledRelease());
        Assert.Equal(new EngineSettings().VllmVersion, TopologyFileLoader.Load(PlanTopology("")).Engine.VllmVersion);
    }

    [Fact]
    public void A_slower_fitted_profile_makes_the_plan_take_more_gpus_and_travels_with_the_topology()
    {
        var profile = SlowProfile(ServingEngine.Vllm);
        static int Gpus(CliRun run) => JsonDocument.Parse(run.Stdout).RootElement.GetProperty("best").GetProperty("gpus").GetInt32();

        var builtIn = CliRun.Of(null, CliRun.Args($"{Plan} --json"));
        var path = Path.Combine(dir, "fitted.json");
        var fitted = CliRun.Of(null, CliRun.Args($"{Plan} --profile {profile} --json --out {path}"));

        Assert.True(fitted.ExitCode == 0, fitted.ToString());
        Assert.True(Gpus(fitted) > Gpus(builtIn), $"fitted {Gpus(fitted)} vs built-in {Gpus(builtIn)} GPUs");
        Assert.Equal(Path.GetFullPath(profile), TopologyFileLoader.Load(path).Local.Profile);
    }

    [Theory]
    [InlineData("h100-sxm --engine sglang", "fitted with vllm")]
    [InlineData("h200-sxm", "does not search")]
    public void Plan_refuses_a_profile_of_another_engine_or_an_unsearched_gpu(string flags, string message)
    {
        var run = CliRun.Of(null, CliRun.Args($"{PlanOn} {flags} --profile {SlowProfile(ServingEngine.Vllm)}"));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.Stderr);
    }

    [Fact]
    public void Simulate_topology_models_the_topologys_engine_and_engine_overrides_it()
    {
        var spec = ReferenceTopologies.Llama70BPd();
        spec.Engine.ServingEngine = "trtllm";
        var path = Path.Combine(dir, "trtllm.json");
        TopologyFile.Write(spec, path);

        var fromTopology = new FakeEngineRunner();
        Assert.Equal(0, CliRun.Of(fromTopology, CliRun.Args($"simulate --topology {path} {Load}")).ExitCode);
        var overridden = new FakeEngineRunner();
        Assert.Equal(0, CliRun.Of(overridden, CliRun.Args($"simulate --topology {path} --engine sglang {Load}")).ExitCode);

        var trtllm = fromTopology.Cluster!;
        Assert.Equal((ServingEngine.Trtllm, false, AdmissionPolicy.ReserveFull),
            (trtllm.Decode!.Engine.Engine.Engine, trtllm.Decode.Engine.EnableChunkedPrefill, trtllm.Admission));
        var sglang = overridden.Cluster!;
        Assert.Equal((ServingEngine.Sglang, true, AdmissionPolicy.OnDemand),
            (sglang.Prefill!.Engine.Engine.Engine, sglang.Prefill.Engine.EnableChunkedPrefill, sglang.Admission));
        // The pool's own limits (what vLLM is launched with) win over the engine's defaults.
        Assert.Equal((256, 8192), (sglang.Decode!.Engine.MaxNumSeqs, sglang.Decode.Engine.MaxNumBatchedTokens));
    }

    [Fact]
    public void Simulate_reference_topology_models_vllm_by_default()
    {
        var engine = new FakeEngineRunner();
        Assert.Equal(0, CliRun.Of(engine, CliRun.Args($"simulate --topology llama70b-pd {Load}")).ExitCode);
        Assert.Equal(ServingEngine.Vllm, engine.Cluster!.Decode!.Engine.Engine.Engine);
        Assert.Null(engine.Cluster.Decode.Engine.Constants);
    }

    [Fact]
    public void Simulate_reference_topology_models_its_vllm_images_release_and_engine_version_overrides_it()
    {
        var pinned = new FakeEngineRunner();
        Assert.Equal(0, CliRun.Of(pinned, CliRun.Args($"simulate --topology llama70b-pd {Load}")).ExitCode);
        Assert.Equal((new EngineRelease(0, 18, 1), false), (pinned.Cluster!.Decode!.Engine.Release, pinned.Cluster.Decode.Engine.SynchronousScheduling));
        var older = new FakeEngineRunner();
        Assert.Equal(0, CliRun.Of(older, CliRun.Args($"simulate --topology llama70b-pd --engine-version 0.11.0 {Load}")).ExitCode);
        Assert.Equal((new EngineRelease(0, 11, 0), true), (older.Cluster!.Decode!.Engine.Release, older.Cluster.Decode.Engine.SynchronousScheduling));
    }

    [Fact]
    public void Simulate_topology_takes_the_topologys_profile_and_profile_overrides_it()
    {
        var topologyProfile = SlowProfile(ServingEngine.Vllm);
        var spec = ReferenceTopologies.Llama70BPd();
        spec.Local.Profile = topologyProfile;
        var path = Path.Combine(dir, "profiled.json");
        TopologyFile.Write(spec, path);
        var flagProfile = Path.Combine(dir, "flag.json");
        var faster = PerformanceConstants.Resolve(GpuCatalog.H100Sxm, EngineProfiles.Vllm) with { StepSeconds = 0.1e-3 };
        File.WriteAllText(flagProfile, ProfileFile.From(GpuCatalog.H100Sxm, ServingEngine.Vllm, faster).ToJson());

        var fromTopology = new FakeEngineRunner();
        Assert.Equal(0, CliRun.Of(fromTopology, CliRun.Args($"simulate --topology {path} {Load}")).ExitCode);
        var fromFlag = new FakeEngineRunner();
        Assert.Equal(0, CliRun.Of(fromFlag, CliRun.Args($"simulate --topology {path} --profile {flagProfile} {Load}")).ExitCode);

        Assert.Equal(ProfileFile.Load(topologyProfile).ToConstants(topologyProfile), fromTopology.Cluster!.Decode!.Engine.Constants);
        Assert.Equal(ProfileFile.Load(flagProfile).ToConstants(flagProfile), fromFlag.Cluster!.Decode!.Engine.Constants);
    }

    [Fact]
    public void Simulate_topology_refuses_a_profile_of_another_engine_naming_the_pool_and_the_fix()
    {
        var run = CliRun.Of(new FakeEngineRunner(), CliRun.Args($"simulate --topology llama70b-pd --engine sglang --profile {SlowProfile(ServingEngine.Vllm)} {Load}"));

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("pool 'prefill'", run.Stderr);
        Assert.Contains("--engine vllm", run.Stderr);
    }
}
