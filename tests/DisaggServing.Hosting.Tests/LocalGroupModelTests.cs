using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using DisaggServing.Hosting.Gpus;
using DisaggServing.Topology;
using DisaggServing.Topology.Manifests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace DisaggServing.Hosting.Tests;

/// <summary>A multi-node replica (glm5-lws: PP=2 × TP=8) built as its LeaderWorkerSet group, simulated and on vLLM.</summary>
public class LocalGroupModelTests
{
    private const string Leader = "vllm-glm5-fp8-0";
    private const string WorkerRank = "vllm-glm5-fp8-0-1";

    private sealed class FixedDiscovery(IReadOnlyList<LocalGpu> gpus) : IGpuDiscovery
    {
        public IReadOnlyList<LocalGpu> Discover() => gpus;
    }

    private static IDistributedApplicationBuilder Build(TopologySpec spec)
    {
        var builder = DistributedApplication.CreateBuilder();
        if (spec.Local.Engine == LocalEngine.Vllm) LocalVllmPlan.UseGpuDiscovery(builder, new FixedDiscovery(GpuDiscoveryTests.H100s(16)));
        builder.AddDisaggTopology<FakeProjects.Worker, FakeProjects.Router, FakeProjects.KvTransfer>(spec);
        return builder;
    }

    private static TopologySpec OnVllm()
    {
        var spec = ReferenceTopologies.Get("glm5-lws");
        spec.Local.Engine = LocalEngine.Vllm;
        spec.Local.VllmCommand = "sh"; // the model is only built, not run
        return spec;
    }

    private static T Resource<T>(IDistributedApplicationBuilder builder, string name) where T : IResource =>
        Assert.IsAssignableFrom<T>(Assert.Single(builder.Resources, r => r.Name == name));

    private static bool ChildOf(IResource child, IResource parent) =>
        child.Annotations.OfType<ResourceRelationshipAnnotation>().Any(a => a.Resource == parent && a.Type == "Parent");

    private static void Allocate(IResource resource, int http, int other)
    {
        foreach (var endpoint in resource.Annotations.OfType<EndpointAnnotation>())
        {
            var port = endpoint.Name == KnownEndpoints.Http ? http : endpoint.Name == KnownEndpoints.Dist ? other + 1 : other;
            endpoint.TargetPort = port;
            endpoint.AllocatedEndpoint = new AllocatedEndpoint(endpoint, "127.0.0.1", port);
        }
    }

    private static async Task<(List<string> Args, Dictionary<string, string> Env)> Launch(IResource resource)
    {
        var result = await ExecutionConfigurationBuilder.Create(resource).WithArgumentsConfig().WithEnvironmentVariablesConfig()
            .BuildAsync(new DistributedApplicationExecutionContext(DistributedApplicationOperation.Run), NullLogger.Instance, CancellationToken.None);
        return (result.Arguments.Select(a => a.Value).ToList(), result.EnvironmentVariables.ToDictionary());
    }

    [Fact]
    public async Task A_simulated_group_is_a_worker_process_per_rank_under_its_leader_with_the_lws_environment()
    {
        var builder = Build(ReferenceTopologies.Get("glm5-lws"));
        var pool = Resource<WorkerPoolResource>(builder, "vllm-glm5-fp8");
        var leader = Resource<ProjectResource>(builder, Leader);
        var worker = Resource<ProjectResource>(builder, WorkerRank);

        // The router and the KV-transfer service see the replica (its leader) only; the rank hangs under the leader.
        Assert.Equal([Leader], pool.Replicas.Select(r => r.Name));
        Assert.True(ChildOf(leader, pool));
        Assert.True(ChildOf(worker, leader));
        Assert.Equal([leader, worker], Assert.Single(leader.Annotations.OfType<LwsGroupAnnotation>()).Ranks);
        Assert.Contains(builder.Services, s => s.ServiceType == typeof(IHostedService) && s.ImplementationType == typeof(LwsGroupSupervisor));

        var leaderEnv = await Env.Of(leader);
        var workerEnv = await Env.Of(worker);
        Assert.Equal(("127.0.0.1", "2", "0"), (leaderEnv["LWS_LEADER_ADDRESS"], leaderEnv["LWS_GROUP_SIZE"], leaderEnv["LWS_WORKER_INDEX"]));
        Assert.Equal(("127.0.0.1", "2", "1"), (workerEnv["LWS_LEADER_ADDRESS"], workerEnv["LWS_GROUP_SIZE"], workerEnv["LWS_WORKER_INDEX"]));
        // The leader listens on its dist endpoint; the rank joins it there.
        Assert.Equal("{vllm-glm5-fp8-0.bindings.dist.targetPort}", leaderEnv["Worker__MasterPort"]);
        Assert.Equal("{vllm-glm5-fp8-0.bindings.dist.targetPort}", workerEnv["Worker__MasterPort"]);
        // Each rank is its own pipeline stage: its own node and its own 8 GPUs, the same model and layout.
        Assert.Equal(("glm5-lws-gpu-serving-node-0", "0,1,2,3,4,5,6,7"), (leaderEnv["Worker__Node"], leaderEnv["Worker__GpuIndices"]));
        Assert.Equal(("glm5-lws-gpu-serving-node-1", "0,1,2,3,4,5,6,7"), (workerEnv["Worker__Node"], workerEnv["Worker__GpuIndices"]));
        Assert.Equal((WorkerRank, "8", "2"), (workerEnv["Worker__EngineId"], workerEnv["Worker__Tp"], workerEnv["Worker__Pp"]));
        Assert.Equal("{vllm-glm5-fp8-0-1.bindings.http.targetPort}", workerEnv["Worker__HttpPort"]);
        Assert.Equal(("vllm", "vllm"), (leaderEnv["Worker__Engine"], workerEnv["Worker__Engine"]));
    }

    [Fact]
    public async Task On_vllm_each_rank_runs_what_its_published_container_runs_on_its_own_gpus()
    {
        var spec = OnVllm();
        var builder = Build(spec);
        var leader = Resource<VllmEngineResource>(builder, Leader);
        var worker = Resource<VllmEngineResource>(builder, WorkerRank);
        Assert.True(ChildOf(worker, leader));
        Assert.Equal([Leader], Resource<WorkerPoolResource>(builder, "vllm-glm5-fp8").Replicas.Select(r => r.Name));
        Assert.Equal([leader, worker], Assert.Single(leader.Annotations.OfType<LwsGroupAnnotation>()).Ranks);
        // A headless rank serves nothing: no endpoint of its own, no health check.
        Assert.Empty(worker.Annotations.OfType<EndpointAnnotation>());
        Assert.Empty(worker.Annotations.OfType<HealthCheckAnnotation>());

        Allocate(leader, 8100, 8200);
        var (leaderArgs, leaderEnv) = await Launch(leader);
        var (workerArgs, workerEnv) = await Launch(worker);
        var resolved = ResolvedTopology.Resolve(spec);
        Assert.Equal(["serve", .. VllmArgs.ForLocalRank(resolved, spec.Pools[0], 0, 8100, 8200, "127.0.0.1", 8201)], leaderArgs);
        Assert.Equal(["serve", .. VllmArgs.ForLocalRank(resolved, spec.Pools[0], 1, 8100, null, "127.0.0.1", 8201)], workerArgs);
        Assert.Equal(("0,1,2,3,4,5,6,7", "8,9,10,11,12,13,14,15"), (leaderEnv["CUDA_VISIBLE_DEVICES"], workerEnv["CUDA_VISIBLE_DEVICES"]));
        Assert.Equal(("127.0.0.1", "2", "0"), (leaderEnv["LWS_LEADER_ADDRESS"], leaderEnv["LWS_GROUP_SIZE"], leaderEnv["LWS_WORKER_INDEX"]));
        Assert.Equal(("127.0.0.1", "2", "1"), (workerEnv["LWS_LEADER_ADDRESS"], workerEnv["LWS_GROUP_SIZE"], workerEnv["LWS_WORKER_INDEX"]));
        // The pool's own environment (the seed's NCCL settings) reaches every rank.
        Assert.Equal(leaderEnv["VLLM_USE_DEEP_GEMM"], workerEnv["VLLM_USE_DEEP_GEMM"]);
    }

    [Fact]
    public void On_vllm_a_group_needs_all_its_ranks_gpus()
    {
        var builder = DistributedApplication.CreateBuilder();
        LocalVllmPlan.UseGpuDiscovery(builder, new FixedDiscovery(GpuDiscoveryTests.H100s(8)));
        var error = Assert.Throws<DistributedApplicationException>(() =>
            builder.AddDisaggTopology<FakeProjects.Worker, FakeProjects.Router, FakeProjects.KvTransfer>(OnVllm()));
        Assert.StartsWith("Topology 'glm5-lws' needs 16 GPUs (16 × h100-sxm", error.Message, StringComparison.Ordinal);
    }
}
