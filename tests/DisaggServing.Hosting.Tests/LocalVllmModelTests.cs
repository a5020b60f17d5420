using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using DisaggServing.Hosting.Gpus;
using DisaggServing.Topology;
using DisaggServing.Topology.Manifests;
using Microsoft.Extensions.Logging.Abstractions;

namespace DisaggServing.Hosting.Tests;

/// <summary>The model the AppHost builds with <c>Topology:Local:Engine=Vllm</c>, GPUs from a fake discovery.</summary>
public class LocalVllmModelTests
{
    private sealed class FakeDiscovery(IReadOnlyList<LocalGpu> gpus) : IGpuDiscovery
    {
        public int Calls { get; private set; }

        public IReadOnlyList<LocalGpu> Discover()
        {
            Calls++;
            return gpus;
        }
    }

    private static TopologySpec Topology(string command = "sh")
    {
        var spec = ReferenceTopologies.Get("local-70b");
        spec.Local.Engine = LocalEngine.Vllm;
        spec.Local.VllmCommand = command; // any program on PATH stands for vllm: the model is only built, not run
        return spec;
    }

    private static IDistributedApplicationBuilder Build(TopologySpec spec, IGpuDiscovery discovery, string[]? args = null)
    {
        var builder = DistributedApplication.CreateBuilder(args ?? []);
        LocalVllmPlan.UseGpuDiscovery(builder, discovery);
        builder.AddDisaggTopology<FakeProjects.Worker, FakeProjects.Router, FakeProjects.KvTransfer>(spec);
        return builder;
    }

    private static VllmEngineResource Engine(IDistributedApplicationBuilder builder, string name) =>
        Assert.IsType<VllmEngineResource>(Assert.Single(builder.Resources, r => r.Name == name));

    /// <summary>Args and env as a run would give them, with the ports DCP would allocate.</summary>
    private static async Task<(List<string> Args, Dictionary<string, string> Env)> Launch(VllmEngineResource engine, int httpPort, int eventsPort)
    {
        foreach (var endpoint in engine.Annotations.OfType<EndpointAnnotation>())
            endpoint.TargetPort = endpoint.Name == KnownEndpoints.Http ? httpPort : eventsPort;
        var result = await ExecutionConfigurationBuilder.Create(engine).WithArgumentsConfig().WithEnvironmentVariablesConfig()
            .BuildAsync(new DistributedApplicationExecutionContext(DistributedApplicationOperation.Run), NullLogger.Instance, CancellationToken.None);
        return (result.Arguments.Select(a => a.Value).ToList(), result.EnvironmentVariables.ToDictionary());
    }

    [Fact]
    public async Task Each_replica_is_vllm_serve_with_the_published_arguments_its_port_and_its_gpus()
    {
        var spec = Topology("sh run vllm");
        var builder = Build(spec, new FakeDiscovery(GpuDiscoveryTests.H100s(8)));
        Assert.Equal(["prefill-0", "prefill-1", "decode-0", "decode-1"], builder.Resources.OfType<VllmEngineResource>().Select(r => r.Name));
        Assert.DoesNotContain(builder.Resources.OfType<ProjectResource>(), p => p.Name.Contains('-', StringComparison.Ordinal));

        var decode1 = Engine(builder, "decode-1");
        Assert.EndsWith("/sh", decode1.Command, StringComparison.Ordinal);
        var (args, env) = await Launch(decode1, 8123, 8124);
        Assert.Equal(["run", "vllm", "serve", .. VllmArgs.ForLocal(spec, spec.Pools[1], 8123, 8124)], args);
        Assert.Contains("--port=8123", args);
        Assert.Contains("""--kv-transfer-config={"kv_connector":"NixlConnector","kv_role":"kv_both","kv_connector_extra_config":{"backends":["UCX"]}}""", args);
        Assert.Contains("""--kv-events-config={"enable_kv_cache_events":true,"publisher":"zmq","endpoint":"tcp://*:8124","topic":"kv-events"}""", args);
        Assert.Equal("6,7", env["CUDA_VISIBLE_DEVICES"]);
        Assert.Equal("PCI_BUS_ID", env["CUDA_DEVICE_ORDER"]);
        Assert.Equal(("127.0.0.1", "5606"), (env["VLLM_NIXL_SIDE_CHANNEL_HOST"], env["VLLM_NIXL_SIDE_CHANNEL_PORT"]));
        Assert.DoesNotContain(env.Keys, k => k.StartsWith("Worker__", StringComparison.Ordinal));
    }

    [Fact]
    public async Task No_gpu_and_no_side_channel_port_is_given_twice()
    {
        var builder = Build(Topology(), new FakeDiscovery(GpuDiscoveryTests.H100s(8)));
        var gpus = new List<string>();
        var ranges = new List<(int, int)>();
        var port = 9000;
        foreach (var engine in builder.Resources.OfType<VllmEngineResource>())
        {
            var (_, env) = await Launch(engine, port++, port++);
            gpus.AddRange(env["CUDA_VISIBLE_DEVICES"].Split(','));
            var first = int.Parse(env["VLLM_NIXL_SIDE_CHANNEL_PORT"], System.Globalization.CultureInfo.InvariantCulture);
            ranges.Add((first, first + engine.Pool.TensorParallel - 1));
        }

        Assert.Equal(8, gpus.Distinct().Count());
        Assert.Equal(8, gpus.Count);
        Assert.Equal([(5600, 5601), (5602, 5603), (5604, 5605), (5606, 5607)], ranges);
    }

    [Fact]
    public async Task The_router_and_the_kv_transfer_service_are_told_about_engines_that_do_not_register()
    {
        var builder = Build(Topology(), new FakeDiscovery(GpuDiscoveryTests.H100s(8)));
        var router = await Env.Of(Assert.Single(builder.Resources, r => r.Name == "router"));
        Assert.Equal("false", router["Router__ReleaseAbandonedLeases"]);
        Assert.Equal("{prefill-1.bindings.http.url}", router["Router__Prefill__1"]);
        Assert.Equal("{decode-0.bindings.http.url}", router["Router__Decode__0"]);
        var kv = await Env.Of(Assert.Single(builder.Resources, r => r.Name == "kvtransfer"));
        Assert.Equal("127.0.0.1:{decode-1.bindings.http.port}", kv["KvTransfer__KvEvents__Publishers__3__EngineId"]);
        Assert.Equal("tcp://127.0.0.1:{decode-1.bindings.kv-events.port}", kv["KvTransfer__KvEvents__Publishers__3__Endpoint"]);
        Assert.DoesNotContain(Engine(builder, "prefill-0").Annotations.OfType<ResourceCommandAnnotation>(), c => c.Name == "crash");
        Assert.Contains(Engine(builder, "prefill-0").Annotations.OfType<HealthCheckAnnotation>(), h => h.Key == "prefill-0-vllm-ready");
    }

    [Fact]
    public void Too_few_gpus_fail_the_model_before_any_resource_is_added()
    {
        var builder = DistributedApplication.CreateBuilder();
        LocalVllmPlan.UseGpuDiscovery(builder, new FakeDiscovery(GpuDiscoveryTests.H100s(6)));
        var error = Assert.Throws<DistributedApplicationException>(() =>
            builder.AddDisaggTopology<FakeProjects.Worker, FakeProjects.Router, FakeProjects.KvTransfer>(Topology()));
        Assert.StartsWith("Topology 'local-70b' needs 8 GPUs (8 × h100-sxm, NVIDIA H100 SXM 80GB) to run on vLLM", error.Message, StringComparison.Ordinal);
        Assert.Contains("nvidia-smi found 6 GPUs", error.Message, StringComparison.Ordinal);
        Assert.Empty(builder.Resources);
    }

    [Fact]
    public void A_vllm_command_that_is_not_there_fails_naming_the_setting()
    {
        var error = Assert.Throws<DistributedApplicationException>(() => Build(Topology("no-such-vllm-here serve"), new FakeDiscovery(GpuDiscoveryTests.H100s(8))));
        Assert.StartsWith("Topology:Local:VllmCommand 'no-such-vllm-here' was not found on PATH", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Publishing_with_the_vllm_engine_looks_for_no_gpus()
    {
        var discovery = new FakeDiscovery([]);
        var builder = Build(Topology(), discovery, ["--operation", "publish", "--output-path", Path.GetTempPath()]);
        Assert.Equal(0, discovery.Calls);
        Assert.Empty(builder.Resources.OfType<VllmEngineResource>());
    }

    [Theory]
    [InlineData("vllm", "vllm", "")]
    [InlineData("uv run vllm", "uv", "run|vllm")]
    [InlineData("  '/opt/my venv/bin/vllm'  ", "/opt/my venv/bin/vllm", "")]
    [InlineData("python -m \"vllm.entrypoints.cli.main\"", "python", "-m|vllm.entrypoints.cli.main")]
    public void The_vllm_command_splits_into_program_and_leading_arguments(string text, string program, string args)
    {
        var command = VllmCommandLine.Parse(text);
        Assert.Equal(program, command.Program);
        Assert.Equal(args.Length == 0 ? [] : args.Split('|'), command.LeadingArgs);
    }

    [Theory]
    [InlineData("")]
    [InlineData("vllm 'serve")]
    public void A_bad_vllm_command_is_named(string text) =>
        Assert.StartsWith("Topology:Local:VllmCommand", Assert.Throws<DistributedApplicationException>(() => VllmCommandLine.Parse(text)).Message, StringComparison.Ordinal);
}
