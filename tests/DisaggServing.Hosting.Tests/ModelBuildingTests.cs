using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using DisaggServing.Topology;

namespace DisaggServing.Hosting.Tests;

public class ModelBuildingTests
{
    private static readonly string[] WorkerKeys =
    [
        "Worker__Role", "Worker__EngineId", "Worker__Model", "Worker__Gpu", "Worker__Tp", "Worker__Pp", "Worker__Dtype", "Worker__KvCacheDtype",
        "Worker__MaxNumSeqs", "Worker__MaxNumBatchedTokens", "Worker__GpuMemoryUtilization", "Worker__MaxModelLen", "Worker__Node", "Worker__GpuIndices",
        "Worker__KvPayloadScale", "Worker__SpeedFactor", "Worker__LeaseSeconds", "Worker__KvLoadFailurePolicy", "Worker__AdvertisedHost",
        "Worker__HttpPort", "Worker__KvPort", "Worker__KvTransferUrl", "Worker__Engine", "Worker__EngineVersion",
    ];

    private static (IDistributedApplicationBuilder Builder, IResourceBuilder<RouterResource> Router) Build(TopologySpec topology)
    {
        var builder = DistributedApplication.CreateBuilder();
        var router = builder.AddDisaggTopology<FakeProjects.Worker, FakeProjects.Router, FakeProjects.KvTransfer>(topology);
        return (builder, router);
    }

    private static T Resource<T>(IDistributedApplicationBuilder builder, string name) where T : IResource =>
        Assert.IsAssignableFrom<T>(Assert.Single(builder.Resources, r => r.Name == name));

    [Fact]
    public void Each_replica_is_its_own_resource_under_its_pool()
    {
        var (builder, _) = Build(ReferenceTopologies.Get("llama70b-pd"));
        Assert.Equal(
            ["kvtransfer", "router", "prefill", "prefill-0", "prefill-1", "decode", "decode-0", "decode-1", "decode-2", "decode-3"],
            builder.Resources.Where(r => r is ProjectResource or WorkerPoolResource).Select(r => r.Name));
        var decode = Resource<WorkerPoolResource>(builder, "decode");
        Assert.Equal(PoolRole.Decode, decode.Role);
        Assert.Equal(["decode-0", "decode-1", "decode-2", "decode-3"], decode.Replicas.Select(r => r.Name));
        Assert.All(decode.Replicas, r =>
            Assert.Contains(r.Annotations.OfType<ResourceRelationshipAnnotation>(), a => a.Resource == decode && a.Type == "Parent"));
    }

    [Fact]
    public async Task A_replica_gets_exactly_the_workers_configuration_contract()
    {
        var (builder, _) = Build(ReferenceTopologies.Get("local-70b"));
        var env = await Env.Of(Resource<ProjectResource>(builder, "decode-1"));
        Assert.Equal(WorkerKeys.Order(StringComparer.Ordinal), env.Keys.Where(k => k.StartsWith("Worker__", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.Equal("decode", env["Worker__Role"]);
        Assert.Equal("decode-1", env["Worker__EngineId"]);
        Assert.Equal("meta-llama/Llama-3.3-70B-Instruct", env["Worker__Model"]);
        Assert.Equal("h100-sxm", env["Worker__Gpu"]);
        Assert.Equal(("2", "1"), (env["Worker__Tp"], env["Worker__Pp"]));
        Assert.Equal(("fp8", "bf16"), (env["Worker__Dtype"], env["Worker__KvCacheDtype"]));
        Assert.Equal(("256", "8192", "0.9", "32768"), (env["Worker__MaxNumSeqs"], env["Worker__MaxNumBatchedTokens"], env["Worker__GpuMemoryUtilization"], env["Worker__MaxModelLen"]));
        Assert.Equal(("0.00048828125", "1", "30", "recompute"), (env["Worker__KvPayloadScale"], env["Worker__SpeedFactor"], env["Worker__LeaseSeconds"], env["Worker__KvLoadFailurePolicy"]));
        Assert.Equal("127.0.0.1", env["Worker__AdvertisedHost"]);
        Assert.Equal("{decode-1.bindings.http.targetPort}", env["Worker__HttpPort"]);
        Assert.Equal("{decode-1.bindings.kv.targetPort}", env["Worker__KvPort"]);
        Assert.Equal("{kvtransfer.bindings.grpc.url}", env["Worker__KvTransferUrl"]);
        Assert.Equal("vllm", env["Worker__Engine"]);
        // The release of the vLLM image the topology pins, which the replica models.
        Assert.Equal("0.18.1", env["Worker__EngineVersion"]);
    }

    [Fact]
    public async Task A_speculating_pools_replicas_get_its_speculation_and_the_others_none()
    {
        var topology = ReferenceTopologies.Get("local-70b");
        var decode = topology.Pools.Single(p => p.Role == PoolRole.Decode);
        decode.Speculation = new PoolSpeculation { Method = "eagle3", DraftModel = "yuhuili/EAGLE3-LLaMA3.3-Instruct-70B", NumSpeculativeTokens = 3, AcceptanceLength = 2.5 };
        var (builder, _) = Build(topology);

        var env = await Env.Of(Resource<ProjectResource>(builder, "decode-1"));
        Assert.Equal(("eagle3", "3", "2.5"), (env["Worker__SpeculativeMethod"], env["Worker__NumSpeculativeTokens"], env["Worker__AcceptanceLength"]));
        Assert.DoesNotContain("Worker__SpeculativeMethod", (await Env.Of(Resource<ProjectResource>(builder, "prefill-0"))).Keys);
    }

    [Fact]
    public async Task Every_replica_models_the_topologys_serving_engine()
    {
        var topology = ReferenceTopologies.Get("local-70b");
        topology.Engine.ServingEngine = " TensorRT-LLM ";
        var (builder, _) = Build(topology);

        foreach (var replica in new[] { "prefill-0", "decode-1" })
            Assert.Equal("trtllm", (await Env.Of(Resource<ProjectResource>(builder, replica)))["Worker__Engine"]);
    }

    [Fact]
    public async Task Replicas_are_placed_as_on_eks_each_role_on_its_own_nodes()
    {
        // llama70b-pd on p5.48xlarge: 2 prefill pods of TP=4 fill one node, 4 decode pods of TP=4 fill two more.
        var (builder, _) = Build(ReferenceTopologies.Get("llama70b-pd"));
        async Task<(string, string)> Placement(string replica)
        {
            var env = await Env.Of(Resource<ProjectResource>(builder, replica));
            return (env["Worker__Node"], env["Worker__GpuIndices"]);
        }

        Assert.Equal(("llama70b-pd-gpu-prefill-node-0", "0,1,2,3"), await Placement("prefill-0"));
        Assert.Equal(("llama70b-pd-gpu-prefill-node-0", "4,5,6,7"), await Placement("prefill-1"));
        Assert.Equal(("llama70b-pd-gpu-decode-node-1", "0,1,2,3"), await Placement("decode-0"));
        Assert.Equal(("llama70b-pd-gpu-decode-node-1", "4,5,6,7"), await Placement("decode-1"));
        Assert.Equal(("llama70b-pd-gpu-decode-node-2", "0,1,2,3"), await Placement("decode-2"));
    }

    [Fact]
    public async Task Sharing_nodes_across_roles_packs_prefill_and_decode_onto_one_node()
    {
        var topology = ReferenceTopologies.Get("local-70b");
        topology.Local.ShareNodesAcrossRoles = true;
        var (builder, _) = Build(topology);
        var decode = await Env.Of(Resource<ProjectResource>(builder, "decode-1"));
        Assert.Equal(("shared-node-0", "6,7"), (decode["Worker__Node"], decode["Worker__GpuIndices"]));
    }

    [Fact]
    public async Task A_multi_node_replica_sits_on_its_leaders_node()
    {
        // The seed's colocated PP=2 x TP=8 group (P/D pools run PP=1: NIXL has no pipeline parallelism).
        var (builder, _) = Build(ReferenceTopologies.Get("glm5-lws"));
        var env = await Env.Of(Resource<ProjectResource>(builder, "vllm-glm5-fp8-0"));
        Assert.Equal(("8", "2"), (env["Worker__Tp"], env["Worker__Pp"]));
        Assert.Equal(("glm5-lws-gpu-serving-node-0", "0,1,2,3,4,5,6,7"), (env["Worker__Node"], env["Worker__GpuIndices"]));
    }

    [Fact]
    public async Task Router_and_kv_transfer_are_typed_project_resources_with_aspires_dotnet_defaults()
    {
        var topology = ReferenceTopologies.Get("llama70b-pd");
        var (builder, router) = Build(topology);
        Assert.Same(topology, router.Resource.Topology);
        Assert.Equal((2, 4, false), (router.Resource.PrefillTargets, router.Resource.DecodeTargets, router.Resource.RoutesToVllm));
        var kv = Resource<KvTransferResource>(builder, "kvtransfer");
        Assert.Equal(("kvtransfer", KnownEndpoints.Grpc), (kv.GrpcEndpoint.Resource.Name, kv.GrpcEndpoint.EndpointName));
        foreach (ProjectResource project in new ProjectResource[] { router.Resource, kv })
        {
            // What AddProject gives every .NET project: its metadata (the project to run) and the OpenTelemetry wiring.
            Assert.Single(project.Annotations.OfType<IProjectMetadata>());
            Assert.Equal("in_memory", (await Env.Of(project))["OTEL_DOTNET_EXPERIMENTAL_OTLP_RETRY"]);
        }
    }

    [Fact]
    public async Task Router_knows_every_replica_by_role_and_waits_for_them()
    {
        var (_, router) = Build(ReferenceTopologies.Get("llama70b-pd"));
        var env = await Env.Of(router.Resource);
        Assert.Equal(["{prefill-0.bindings.http.url}", "{prefill-1.bindings.http.url}"], env.Where(e => e.Key.StartsWith("Router__Prefill__", StringComparison.Ordinal)).Select(e => e.Value));
        Assert.Equal(4, env.Keys.Count(k => k.StartsWith("Router__Decode__", StringComparison.Ordinal)));
        Assert.Equal("{decode-3.bindings.http.url}", env["Router__Decode__3"]);
        Assert.Equal("{kvtransfer.bindings.grpc.url}", env["Router__KvTransferUrl"]);
        Assert.Equal("meta-llama/Llama-3.3-70B-Instruct", env["Router__Model"]);
        Assert.Equal("256", env["Router__Decider__MinUncachedTokens"]);
        Assert.Equal("256", env["Router__FlowControl__PerEngineConcurrency"]);
        Assert.Equal("{router.bindings.http.targetPort}", env["Router__Port"]);
        Assert.Equal(8080, router.Resource.Annotations.OfType<EndpointAnnotation>().Single().Port);
        var waits = router.Resource.Annotations.OfType<WaitAnnotation>().Select(w => w.Resource.Name).ToHashSet();
        Assert.Equal(["prefill-0", "prefill-1", "decode-0", "decode-1", "decode-2", "decode-3", "kvtransfer"], waits);
    }

    [Fact]
    public async Task The_topologys_scorer_weights_reach_the_local_router_and_none_leave_its_defaults()
    {
        var (_, plain) = Build(ReferenceTopologies.Get("llama70b-pd"));
        Assert.DoesNotContain((await Env.Of(plain.Resource)).Keys, k => k.StartsWith("Router__Scheduling__", StringComparison.Ordinal));

        var spec = ReferenceTopologies.Get("llama70b-pd");
        spec.Router.Scorers = new RouterScorerWeights { DecodePrefixCache = 0 };
        var (_, router) = Build(spec);
        var env = await Env.Of(router.Resource);
        Assert.Equal(("prefix-cache", "0"), (env["Router__Scheduling__Profiles__decode__Scorers__0__Name"], env["Router__Scheduling__Profiles__decode__Scorers__0__Weight"]));
        Assert.Equal(("least-load", "1"), (env["Router__Scheduling__Profiles__prefill__Scorers__1__Name"], env["Router__Scheduling__Profiles__prefill__Scorers__1__Weight"]));
    }

    [Fact]
    public async Task The_default_topology_serves_on_port_8000_and_kv_transfer_gets_its_ports()
    {
        var (builder, router) = Build(ReferenceTopologies.Get("local-70b"));
        Assert.Equal(8000, router.Resource.Annotations.OfType<EndpointAnnotation>().Single().Port);
        var env = await Env.Of(Resource<ProjectResource>(builder, "kvtransfer"));
        Assert.Equal("{kvtransfer.bindings.http.targetPort}", env["KvTransfer__HttpPort"]);
        Assert.Equal("{kvtransfer.bindings.grpc.targetPort}", env["KvTransfer__GrpcPort"]);
    }

    [Fact]
    public async Task Pools_of_one_role_get_consecutive_router_indices()
    {
        var topology = ReferenceTopologies.Get("local-70b");
        topology.Pools.Add(new TopologyPool
        {
            Name = "decode-long", Role = PoolRole.Decode, Model = topology.Pools[1].Model, TensorParallel = 2, Replicas = 1, WeightDtype = "fp8", MaxModelLen = 32768,
        });
        var (_, router) = Build(topology);
        var env = await Env.Of(router.Resource);
        Assert.Equal("{decode-1.bindings.http.url}", env["Router__Decode__1"]);
        Assert.Equal("{decode-long-0.bindings.http.url}", env["Router__Decode__2"]);
    }

    [Fact]
    public async Task Colocated_pools_take_decode_traffic_and_no_kv_transfer_means_no_service()
    {
        var topology = ReferenceTopologies.Get("glm5-lws");
        topology.KvTransfer.Enabled = false;
        var (builder, router) = Build(topology);
        Assert.DoesNotContain(builder.Resources, r => r.Name == "kvtransfer");
        var env = await Env.Of(router.Resource);
        Assert.Equal("{vllm-glm5-fp8-0.bindings.http.url}", env["Router__Decode__0"]);
        Assert.DoesNotContain("Router__KvTransferUrl", env.Keys);
        Assert.Equal("both", (await Env.Of(Resource<ProjectResource>(builder, "vllm-glm5-fp8-0")))["Worker__Role"]);
    }

    [Fact]
    public void Services_are_left_out_of_aspires_own_publish_so_no_image_is_built()
    {
        var (builder, _) = Build(ReferenceTopologies.Get("local-70b"));
        Assert.All(builder.Resources, r => Assert.True(r.IsExcludedFromPublish(), r.Name));
    }

    [Fact]
    public void Pools_can_be_added_one_by_one_with_their_role_checked()
    {
        var topology = ReferenceTopologies.Get("local-70b");
        var builder = DistributedApplication.CreateBuilder();
        var kv = builder.AddKvTransfer<FakeProjects.KvTransfer>();
        var prefill = builder.AddPrefillPool<FakeProjects.Worker>(topology).WithKvTransfer(kv);
        var decode = builder.AddDecodePool<FakeProjects.Worker>(topology).WithKvTransfer(kv);
        builder.AddRouter<FakeProjects.Router>(topology).WithPrefill(prefill).WithDecode(decode).WithKvTransfer(kv);
        Assert.Equal(2, prefill.Resource.Replicas.Count);

        var wrongRole = Assert.Throws<DistributedApplicationException>(() => DistributedApplication.CreateBuilder().AddPrefillPool<FakeProjects.Worker>(topology, "decode"));
        Assert.Contains("role decode", wrongRole.Message, StringComparison.Ordinal);
        var missing = Assert.Throws<DistributedApplicationException>(() => DistributedApplication.CreateBuilder().AddWorkerPool<FakeProjects.Worker>(topology, "nope"));
        Assert.Contains("no pool 'nope'; its pools: prefill, decode", missing.Message, StringComparison.Ordinal);
    }
}
