using DisaggServing.Scheduling.Configuration;
using DisaggServing.Topology.Manifests;
using DisaggServing.Topology.Manifests.Crds;
using DisaggServing.Topology.Preflight;
using Microsoft.Extensions.Configuration;
using k8s.Models;

namespace DisaggServing.Topology.Tests;

public class BuilderTests
{
    private static ManifestContext Context(TopologySpec spec) => new(spec);

    private static V1Container Container(V1PodTemplateSpec template) => Assert.Single(template.Spec.Containers);

    private static string? Env(V1Container container, string name) => container.Env.SingleOrDefault(e => e.Name == name)?.Value;

    [Fact]
    public void Namespace_carries_the_topology_labels()
    {
        var ns = NamespaceBuilder.Build(Samples.Pd(2, 2));
        Assert.Equal("test", ns.Metadata.Name);
        Assert.Equal("test", ns.Metadata.Labels[Labels.PartOf]);
        Assert.Equal("disagg", ns.Metadata.Labels[Labels.ManagedBy]);
    }

    [Fact]
    public void Auto_mode_nodepool_has_role_label_taint_requirements_limit_and_disruption()
    {
        var spec = Samples.Pd(4, 4, prefillReplicas: 2);
        var pool = NodePoolBuilder.Build(Context(spec), ResolvedTopology.Resolve(spec).NodePools.Single(n => n.Role == PoolRole.Prefill));
        Assert.Equal("test-gpu-prefill", pool.Metadata.Name);
        Assert.Null(pool.Metadata.NamespaceProperty);
        Assert.Equal("prefill", pool.Spec.Template.Metadata!.Labels!["llm-d-role"]);
        var taint = Assert.Single(pool.Spec.Template.Spec.Taints!);
        Assert.Equal(("llm-d-role", "prefill", "NoSchedule"), (taint.Key, taint.Value, taint.Effect));
        Assert.Equal(["eks.amazonaws.com/instance-family", "node.kubernetes.io/instance-type"], pool.Spec.Template.Spec.Requirements.Select(r => r.Key));
        Assert.Equal(["p5"], pool.Spec.Template.Spec.Requirements[0].Values);
        Assert.Equal(("eks.amazonaws.com", "NodeClass", "default"), (pool.Spec.Template.Spec.NodeClassRef.Group, pool.Spec.Template.Spec.NodeClassRef.Kind, pool.Spec.Template.Spec.NodeClassRef.Name));
        Assert.Equal("8", pool.Spec.Limits!["nvidia.com/gpu"].ToString());
        Assert.Equal("WhenEmpty", pool.Spec.Disruption!.ConsolidationPolicy);
        Assert.Equal("1", pool.Spec.Disruption.Budgets![0].Nodes);
    }

    [Fact]
    public void Karpenter_nodepool_references_an_ec2nodeclass_and_its_labels()
    {
        var spec = Samples.Pd(4, 4);
        spec.Eks.NodeClassKind = NodeClassKind.Karpenter;
        spec.Eks.NodeClassName = "gpu";
        spec.Eks.NodePools = [new NodePoolSettings { Role = PoolRole.Decode, AvailabilityZones = ["us-east-1a"], CapacityTypes = ["reserved"], Taints = ["nvidia.com/gpu:NoSchedule"] }];
        var pool = NodePoolBuilder.Build(Context(spec), ResolvedTopology.Resolve(spec).NodePools.Single(n => n.Role == PoolRole.Decode));
        var template = pool.Spec.Template.Spec;
        Assert.Equal(("karpenter.k8s.aws", "EC2NodeClass", "gpu"), (template.NodeClassRef.Group, template.NodeClassRef.Kind, template.NodeClassRef.Name));
        Assert.Equal(["karpenter.k8s.aws/instance-family", "node.kubernetes.io/instance-type", "topology.kubernetes.io/zone", "karpenter.sh/capacity-type"], template.Requirements.Select(r => r.Key));
        Assert.Equal(["llm-d-role", "nvidia.com/gpu"], template.Taints!.Select(t => t.Key));
    }

    [Fact]
    public void A_single_node_pool_is_a_deployment_with_gpu_requests_of_tp_and_a_headless_service()
    {
        var context = Context(Samples.Pd(4, 4, prefillReplicas: 2));
        var pool = context.Spec.Pools[0];
        var deployment = EngineWorkloadBuilder.Deployment(context, pool);
        Assert.Equal(2, deployment.Spec.Replicas);
        var container = Container(deployment.Spec.Template);
        Assert.Equal("4", container.Resources.Requests["nvidia.com/gpu"].ToString());
        Assert.Equal("4", container.Resources.Limits["nvidia.com/gpu"].ToString());
        Assert.Equal("16", container.Resources.Limits["vpc.amazonaws.com/efa"].ToString()); // half of p5's 32 interfaces
        Assert.NotNull(container.ReadinessProbe);
        Assert.NotNull(container.LivenessProbe);
        Assert.NotNull(container.StartupProbe);
        Assert.Equal(deployment.Spec.Selector.MatchLabels, deployment.Spec.Template.Metadata.Labels.Where(l => deployment.Spec.Selector.MatchLabels.ContainsKey(l.Key)).ToDictionary());
        Assert.Equal("prefill", deployment.Spec.Template.Metadata.Labels["llm-d.ai/role"]);
        Assert.Equal("prefill", deployment.Spec.Template.Spec.NodeSelector["llm-d-role"]);
        Assert.Contains(deployment.Spec.Template.Spec.Tolerations, t => t.Key == "llm-d-role" && t.Value == "prefill" && t.Effect == "NoSchedule");
        Assert.Contains(deployment.Spec.Template.Spec.Tolerations, t => t.Key == "nvidia.com/gpu" && t.OperatorProperty == "Exists");

        var service = EngineWorkloadBuilder.Service(context, pool);
        Assert.Equal("None", service.Spec.ClusterIP);
        Assert.Equal("prefill", service.Metadata.Name);
    }

    [Fact]
    public void Pd_pods_get_nixl_over_libfabric_a_per_pod_side_channel_and_efa_env()
    {
        var context = Context(Samples.Pd(4, 4));
        var container = Container(EngineWorkloadBuilder.Deployment(context, context.Spec.Pools[1]).Spec.Template);
        Assert.Contains("--kv-transfer-config={\"kv_connector\":\"NixlConnector\",\"kv_role\":\"kv_both\",\"kv_connector_extra_config\":{\"backends\":[\"LIBFABRIC\"]}}", container.Args);
        var host = container.Env.Single(e => e.Name == "VLLM_NIXL_SIDE_CHANNEL_HOST");
        Assert.Equal("status.podIP", host.ValueFrom.FieldRef.FieldPath);
        Assert.Equal("5600", Env(container, "VLLM_NIXL_SIDE_CHANNEL_PORT"));
        Assert.Equal("WARN", Env(container, "NCCL_DEBUG"));
        Assert.Null(Env(container, "FI_PROVIDER")); // aws-ofi-nccl >= 1.6 and NIXL pick the efa provider themselves
        Assert.Null(Env(container, "NCCL_ALGO"));
        Assert.Equal(EngineSettings.AwsDlcVllmEfaImage, container.Image);
        Assert.NotNull(EngineWorkloadBuilder.Deployment(context, context.Spec.Pools[1]).Spec.Template.Spec.Affinity.PodAffinity);
    }

    [Fact]
    public void A_colocated_pool_has_no_kv_transfer_config_nor_efa()
    {
        var context = Context(Samples.Single(Samples.Pool("p", PoolRole.Both, 4)));
        var template = EngineWorkloadBuilder.Deployment(context, context.Spec.Pools[0]).Spec.Template;
        Assert.DoesNotContain(Container(template).Args, a => a.StartsWith("--kv-transfer-config", StringComparison.Ordinal));
        Assert.False(Container(template).Resources.Limits.ContainsKey("vpc.amazonaws.com/efa"));
        Assert.Null(template.Spec.Affinity);
    }

    [Fact]
    public void Vllm_args_follow_the_pool()
    {
        var pool = Samples.Pool("p", PoolRole.Both, 2, model: Samples.Llama70B, dtype: "fp8");
        pool.MaxModelLen = 8192;
        pool.EnablePrefixCaching = false;
        pool.ExtraArgs = ["--enable-chunked-prefill"];
        var args = VllmArgs.For(Context(Samples.Single(pool)), pool, EngineRank.Single);
        Assert.Equal(
            [Samples.Llama70B, "--tensor-parallel-size=2", "--gpu-memory-utilization=0.9", "--no-enable-prefix-caching", "--quantization=fp8",
             "--max-model-len=8192", "--max-num-batched-tokens=8192", "--max-num-seqs=256", "--port=8000", "--shutdown-timeout=120",
             """--kv-events-config={"enable_kv_cache_events":true,"publisher":"zmq","endpoint":"tcp://*:5557","topic":"kv-events"}""",
             "--enable-chunked-prefill"],
            args);
    }

    [Fact]
    public void A_hybrid_models_prompts_are_served_uncached_whatever_the_pool_asks_as_the_simulator_serves_them()
    {
        var pool = Samples.Pool("p", PoolRole.Both, 2, model: "nvidia/NVIDIA-Nemotron-3-Nano-30B-A3B-FP8");
        Assert.True(pool.EnablePrefixCaching);
        var args = VllmArgs.For(Context(Samples.Single(pool)), pool, EngineRank.Single);
        Assert.Contains("--no-enable-prefix-caching", args);
        Assert.DoesNotContain("--enable-prefix-caching", args);
        Assert.False(ResolvedPool.Resolve(pool).Engine.PrefixCachesPrompts);
    }

    [Fact]
    public void An_explicit_kv_cache_dtype_reaches_vllm_and_sizes_the_kv_cache()
    {
        var pool = Samples.Pool("p", PoolRole.Both, 2, model: Samples.Llama70B, dtype: "fp8");
        var auto = ResolvedPool.Resolve(pool);
        Assert.Equal(Engine.Catalog.DType.Bf16, auto.KvCacheDtype);
        Assert.DoesNotContain(VllmArgs.For(Context(Samples.Single(pool)), pool, EngineRank.Single), a => a.StartsWith("--kv-cache-dtype", StringComparison.Ordinal));

        pool.KvCacheDtype = "fp8";
        var fp8 = ResolvedPool.Resolve(pool);
        Assert.Contains("--kv-cache-dtype=fp8", VllmArgs.For(Context(Samples.Single(pool)), pool, EngineRank.Single));
        Assert.True(Engine.Performance.MemoryModel.Plan(fp8.Engine).KvTokens > Engine.Performance.MemoryModel.Plan(auto.Engine).KvTokens);

        pool.KvCacheDtype = "int4";
        Assert.Contains(Preflight.TopologyPreflight.Run(Samples.Single(pool)).Errors, f => f.RuleId == "catalog" && f.Message.Contains("KvCacheDtype", StringComparison.Ordinal));
    }

    [Fact]
    public void The_worker_engine_gets_the_workers_configuration_contract()
    {
        var spec = ReferenceTopologies.Get("local-70b");
        spec.Engine.Kind = EngineKind.Worker;
        var container = Container(Assert.IsType<V1Deployment>(ManifestBuilder.Build(spec)["decode.yaml"]!.Objects[0]).Spec.Template);
        Assert.Equal(
            ["Worker__Role", "Worker__Model", "Worker__Gpu", "Worker__Tp", "Worker__Pp", "Worker__Dtype", "Worker__KvCacheDtype", "Worker__MaxNumSeqs",
             "Worker__MaxNumBatchedTokens", "Worker__GpuMemoryUtilization", "Worker__MaxModelLen", "Worker__LeaseSeconds", "Worker__Engine", "Worker__EngineId", "Worker__Node",
             "Worker__AdvertisedHost", "Worker__HttpPort", "Worker__KvPort", "Worker__KvTransferUrl"],
            container.Env.Select(e => e.Name));
        Assert.Equal("h100-sxm", Env(container, "Worker__Gpu"));
        Assert.Equal("fp8", Env(container, "Worker__Dtype"));
        Assert.Equal("bf16", Env(container, "Worker__KvCacheDtype"));
        Assert.Equal("vllm", Env(container, "Worker__Engine"));
        Assert.Equal("spec.nodeName", container.Env.Single(e => e.Name == "Worker__Node").ValueFrom.FieldRef.FieldPath);
        Assert.Equal("status.podIP", container.Env.Single(e => e.Name == "Worker__AdvertisedHost").ValueFrom.FieldRef.FieldPath);
    }

    [Fact]
    public void A_multi_node_pool_is_a_leaderworkerset_of_pp_pods_whose_templates_differ_only_by_rank()
    {
        var spec = ReferenceTopologies.Get("glm5-lws");
        var context = Context(spec);
        var lws = EngineWorkloadBuilder.LeaderWorkerSet(context, spec.Pools[0]);
        Assert.Equal(2, lws.Spec.LeaderWorkerTemplate.Size);
        Assert.Equal("RecreateGroupOnPodRestart", lws.Spec.LeaderWorkerTemplate.RestartPolicy);
        var leader = Container(lws.Spec.LeaderWorkerTemplate.LeaderTemplate!);
        var worker = Container(lws.Spec.LeaderWorkerTemplate.WorkerTemplate);
        Assert.Contains("--node-rank=0", leader.Args);
        Assert.Contains("--node-rank=$(LWS_WORKER_INDEX)", worker.Args);
        Assert.Contains("--master-addr=$(LWS_LEADER_ADDRESS)", leader.Args);
        Assert.Contains("--master-addr=$(LWS_LEADER_ADDRESS)", worker.Args);
        // Only the leader runs the scheduler, so only it drains requests and publishes KV events.
        Assert.Equal(["--shutdown-timeout=120", "--kv-events-config={\"enable_kv_cache_events\":true,\"publisher\":\"zmq\",\"endpoint\":\"tcp://*:5557\",\"topic\":\"kv-events\"}", "--node-rank=0"],
            leader.Args.Except(worker.Args));
        Assert.Equal(["--node-rank=$(LWS_WORKER_INDEX)", "--headless"], worker.Args.Except(leader.Args));
        Assert.Equal(leader.Env.Select(e => e.Name), worker.Env.Select(e => e.Name));
        Assert.Null(worker.ReadinessProbe); // a headless rank serves no HTTP
        Assert.Equal("4", Env(leader, "NCCL_MIN_NCHANNELS"));

        var service = EngineWorkloadBuilder.Service(context, spec.Pools[0]);
        Assert.Equal("vllm-glm5-fp8-leader", service.Metadata.Name);
        Assert.Equal("None", service.Spec.ClusterIP);
        Assert.Equal("0", service.Spec.Selector["leaderworkerset.sigs.k8s.io/worker-index"]);
    }

    [Fact]
    public void A_disaggregated_set_holds_one_lws_template_per_role()
    {
        var spec = ReferenceTopologies.Get("glm5-pd-ds");
        var context = Context(spec);
        var set = DisaggregatedSetBuilder.Build(context, spec.Pools);
        Assert.Equal(["prefill", "decode"], set.Spec.Roles.Select(r => r.Name));
        Assert.All(set.Spec.Roles, r => Assert.Equal(1, r.Spec.LeaderWorkerTemplate.Size)); // one 8-GPU H200 node per replica
        Assert.All(set.Spec.Roles, r => Assert.Equal(1, r.Spec.Replicas));
        Assert.Equal("decode", set.Spec.Roles[1].Metadata!.Labels!["llm-d.ai/role"]);
        Assert.Contains(Container(set.Spec.Roles[0].Spec.LeaderWorkerTemplate.WorkerTemplate).Args, a => a.Contains("NixlConnector", StringComparison.Ordinal));
    }

    [Fact]
    public void Router_and_kv_transfer_run_on_cpu_nodes_with_services()
    {
        var context = Context(Samples.Pd(4, 4));
        var router = ControlPlaneBuilder.RouterDeployment(context);
        var requirement = router.Spec.Template.Spec.Affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms[0].MatchExpressions[0];
        Assert.Equal(("llm-d-role", "DoesNotExist"), (requirement.Key, requirement.OperatorProperty));
        var container = Container(router.Spec.Template);
        Assert.False(container.Resources.Requests.ContainsKey("nvidia.com/gpu"));
        Assert.Equal("dns:///prefill.test.svc.cluster.local:8000", Env(container, "Router__Prefill__0"));
        Assert.Equal("dns:///decode.test.svc.cluster.local:8000", Env(container, "Router__Decode__0"));
        Assert.DoesNotContain(container.Env, e => e.Name.StartsWith("Router__Pools__", StringComparison.Ordinal) || e.Name == "Router__Policy");
        Assert.DoesNotContain(Container(ControlPlaneBuilder.KvTransferDeployment(context).Spec.Template).Env, e => e.Name == "KvTransfer__LeaseSeconds");
        Assert.Equal("http://kv-transfer.test.svc.cluster.local:50051", Env(container, "Router__KvTransferUrl"));
        Assert.Equal("256", Env(container, "Router__Decider__MinUncachedTokens"));
        Assert.Equal(["grpc", "http"], ControlPlaneBuilder.KvTransferService(context).Spec.Ports.Select(p => p.Name));
        Assert.Contains(Container(ControlPlaneBuilder.KvTransferDeployment(context).Spec.Template).Ports, p => p.ContainerPort == 50051);
    }

    [Fact]
    public void Scorer_weights_reach_the_router_as_the_scheduling_profiles_it_reads()
    {
        var spec = Samples.Pd(4, 4);
        Assert.DoesNotContain(Container(ControlPlaneBuilder.RouterDeployment(Context(spec)).Spec.Template).Env,
            e => e.Name.StartsWith("Router__Scheduling__", StringComparison.Ordinal));

        spec.Router.Scorers = new RouterScorerWeights { DecodePrefixCache = 5, DecodeLeastLoad = 0.5 };
        var env = Container(ControlPlaneBuilder.RouterDeployment(Context(spec)).Spec.Template).Env
            .Where(e => e.Name.StartsWith("Router__", StringComparison.Ordinal))
            .Select(e => KeyValuePair.Create(e.Name.Replace("__", ":", StringComparison.Ordinal), (string?)e.Value));
        var scheduling = new ConfigurationBuilder().AddInMemoryCollection(env).Build().GetSection("Router:Scheduling");
        var decode = SchedulingConfigReader.Read(scheduling, "decode");
        Assert.Equal(["health"], decode.Filters.Select(f => f.Name));
        Assert.Equal([("prefix-cache", 5.0), ("least-load", 0.5)], decode.Scorers.Select(s => (s.Name, s.Weight)));
        Assert.Equal("max-score", decode.Picker.Name);
        Assert.Equal([("prefix-cache", 1.0), ("least-load", 1.0)], SchedulingConfigReader.Read(scheduling, "prefill").Scorers.Select(s => (s.Name, s.Weight)));
    }

    [Fact]
    public void The_router_lists_each_pools_headless_service_under_its_role_with_colocated_pools_as_decode()
    {
        var spec = new TopologySpec
        {
            Name = "test",
            Namespace = "test",
            Pools =
            [
                Samples.Pool("prefill-a", PoolRole.Prefill, 4),
                Samples.Pool("decode-a", PoolRole.Decode, 4),
                Samples.Pool("prefill-b", PoolRole.Prefill, 4, pp: 2),
                Samples.Pool("serving", PoolRole.Both, 4),
            ],
        };
        var env = Container(ControlPlaneBuilder.RouterDeployment(Context(spec)).Spec.Template).Env
            .Where(e => e.Name.StartsWith("Router__Prefill__", StringComparison.Ordinal) || e.Name.StartsWith("Router__Decode__", StringComparison.Ordinal))
            .Select(e => $"{e.Name}={e.Value}");
        Assert.Equal(
        [
            "Router__Prefill__0=dns:///prefill-a.test.svc.cluster.local:8000",
            "Router__Decode__0=dns:///decode-a.test.svc.cluster.local:8000",
            "Router__Prefill__1=dns:///prefill-b-leader.test.svc.cluster.local:8000",
            "Router__Decode__1=dns:///serving.test.svc.cluster.local:8000",
        ], env);
    }

    [Fact]
    public void The_worker_engine_runs_on_cpu_nodes_without_nodepools_or_gpus()
    {
        var spec = ReferenceTopologies.Get("glm5-pd-lws");
        spec.Engine.Kind = EngineKind.Worker;
        var set = ManifestBuilder.Build(spec);
        Assert.Null(set["nodepools.yaml"]);
        var deployment = Assert.IsType<V1Deployment>(set["prefill.yaml"]!.Objects[0]);
        var container = Container(deployment.Spec.Template);
        Assert.Equal("disaggserving/worker:0.1.0", container.Image);
        Assert.False(container.Resources.Requests.ContainsKey("nvidia.com/gpu"));
        Assert.Equal("1", Env(container, "Worker__Pp"));
        Assert.Equal("8", Env(container, "Worker__Tp"));
        Assert.Equal("http://kv-transfer.glm5-pd-lws.svc.cluster.local:50051", Env(container, "Worker__KvTransferUrl"));
        Assert.Equal("prefill", Env(container, "Worker__Role"));
        Assert.Empty(TopologyPreflight.Run(spec).Errors);
    }

    [Fact]
    public void The_manifest_set_has_one_file_per_object_group_and_a_kustomization_listing_them()
    {
        var set = ManifestBuilder.Build(ReferenceTopologies.Get("llama70b-pd"));
        Assert.Equal(["namespace.yaml", "nodepools.yaml", "prefill.yaml", "decode.yaml", "router.yaml", "kv-transfer.yaml", "networkpolicies.yaml", "kustomization.yaml"], set.Files.Select(f => f.Name));
        var kustomization = Assert.IsType<Kustomization>(set["kustomization.yaml"]!.Objects.Single());
        Assert.Equal(set.Files.SkipLast(1).Select(f => f.Name), kustomization.Resources);
        Assert.All(set.Files, f => Assert.StartsWith("# Generated by DisaggServing", f.Yaml, StringComparison.Ordinal));
        Assert.All(set.Files, f => Assert.False(string.IsNullOrWhiteSpace(f.Purpose)));
        Assert.Contains("kind: Deployment\n", set["prefill.yaml"]!.Yaml, StringComparison.Ordinal);
        Assert.Contains("\n---\n", set["prefill.yaml"]!.Yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void The_engine_images_are_configurable()
    {
        // A colocated single-node pool talks to no other node: the stock image, at the configured version.
        var colocated = Samples.Single(Samples.Pool("serve", PoolRole.Both, 4));
        colocated.Engine.VllmVersion = "v0.19.0";
        var deployment = (V1Deployment)ManifestBuilder.Build(colocated)["serve.yaml"]!.Objects[0];
        Assert.Equal("vllm/vllm-openai:v0.19.0", Container(deployment.Spec.Template).Image);
        Assert.Equal("v0.19.0", deployment.Metadata.Labels[Labels.Version]);

        // P/D across nodes moves KV over EFA: the AWS DLC image of the pinned version's minor line by default ...
        var pd = ReferenceTopologies.Get("llama70b-pd");
        pd.Engine.VllmVersion = "v0.19.0";
        deployment = (V1Deployment)ManifestBuilder.Build(pd)["decode.yaml"]!.Objects[0];
        Assert.Equal("public.ecr.aws/deep-learning-containers/vllm:0.19-gpu-py312-ec2", Container(deployment.Spec.Template).Image);
        pd.Engine.VllmVersion = "nightly";
        Assert.Null(pd.Engine.EffectiveEfaImage); // no minor line to follow: the stock image, and preflight says so

        // ... or any image, configured.
        pd = ReferenceTopologies.Get("llama70b-pd");
        pd.Engine.EfaImage = "123456789012.dkr.ecr.us-east-1.amazonaws.com/vllm-efa:v0.18.1";
        deployment = (V1Deployment)ManifestBuilder.Build(pd)["decode.yaml"]!.Objects[0];
        Assert.Equal("123456789012.dkr.ecr.us-east-1.amazonaws.com/vllm-efa:v0.18.1", Container(deployment.Spec.Template).Image);
        Assert.Equal("v0.18.1", deployment.Metadata.Labels[Labels.Version]);
    }

    [Fact]
    public void Taints_and_tolerations_parse_and_match_like_kubernetes()
    {
        var taint = Taints.ParseTaint("team=ml:NoSchedule");
        Assert.True(Taints.Tolerates([Taints.ParseToleration("team=ml:NoSchedule")], taint));
        Assert.True(Taints.Tolerates([Taints.ParseToleration("team")], taint));
        Assert.False(Taints.Tolerates([Taints.ParseToleration("team=ai:NoSchedule")], taint));
        Assert.False(Taints.Tolerates([Taints.ParseToleration("team=ml:NoExecute")], taint));
        Assert.Throws<DisaggServing.Engine.InputException>(() => Taints.ParseTaint("team=ml"));
    }
}
