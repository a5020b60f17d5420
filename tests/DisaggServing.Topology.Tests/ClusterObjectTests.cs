using DisaggServing.Topology.Manifests;
using DisaggServing.Topology.Manifests.Crds;
using k8s.Models;

namespace DisaggServing.Topology.Tests;

/// <summary>The cluster objects around the engines: NodePools, the EC2NodeClass, autoscaling, disruption budgets and NetworkPolicies.</summary>
public class ClusterObjectTests
{
    private static ManifestSet Build(TopologySpec spec) => ManifestBuilder.Build(spec);

    private static IEnumerable<T> All<T>(ManifestSet set) => set.Files.SelectMany(f => f.Objects).OfType<T>();

    private static NodePool NodePool(ManifestSet set, string name) => All<NodePool>(set).Single(p => p.Metadata.Name == name);

    private static TopologySpec Autoscaled(TopologySpec spec, int prefillMax, int decodeMax)
    {
        spec.Pools.Single(p => p.Role == PoolRole.Prefill).Autoscaling = new PoolAutoscaling { MinReplicas = 1, MaxReplicas = prefillMax };
        spec.Pools.Single(p => p.Role == PoolRole.Decode).Autoscaling = new PoolAutoscaling { MinReplicas = 1, MaxReplicas = decodeMax };
        return spec;
    }

    // --- NodePools -------------------------------------------------------------------------------------------------

    [Theory]
    [MemberData(nameof(GoldenManifestTests.Names), MemberType = typeof(GoldenManifestTests))]
    public void No_reference_topology_writes_a_nodepool_with_a_gpu_limit_of_zero(string name)
    {
        foreach (var pool in All<NodePool>(Build(ReferenceTopologies.Get(name))))
        {
            if (pool.Spec.Limits is { } limits) Assert.True(int.Parse(limits["nvidia.com/gpu"].ToString()) > 0, $"{name}: {pool.Metadata.Name}");
        }
    }

    [Fact]
    public void Default_nodepools_are_named_per_topology_so_one_topology_never_replaces_anothers()
    {
        var a = All<NodePool>(Build(ReferenceTopologies.Get("llama70b-pd"))).Select(p => p.Metadata.Name).ToList();
        var b = All<NodePool>(Build(ReferenceTopologies.Get("local-70b"))).Select(p => p.Metadata.Name).ToList();
        Assert.Equal(["llama70b-pd-gpu-prefill", "llama70b-pd-gpu-decode"], a);
        Assert.Equal(["local-70b-gpu-prefill", "local-70b-gpu-decode"], b);
        var all = ReferenceTopologies.Names.SelectMany(n => All<NodePool>(Build(ReferenceTopologies.Get(n))).Select(p => p.Metadata.Name)).ToList();
        Assert.Equal(all.Count, all.Distinct().Count());
    }

    [Fact]
    public void The_seeds_unused_nodepools_carry_no_limits_as_in_the_seed_while_the_serving_one_is_sized()
    {
        var set = Build(ReferenceTopologies.Get("glm5-lws"));
        Assert.Null(NodePool(set, "gpu-prefill").Spec.Limits);
        Assert.Null(NodePool(set, "gpu-decode").Spec.Limits);
        Assert.Equal("16", NodePool(set, "glm5-lws-gpu-serving").Spec.Limits!["nvidia.com/gpu"].ToString());

        // A limit set for a pool-less NodePool is written as set.
        var spec = ReferenceTopologies.Get("glm5-lws");
        spec.Eks.NodePools[0].GpuLimit = 8;
        Assert.Equal("8", NodePool(Build(spec), "gpu-prefill").Spec.Limits!["nvidia.com/gpu"].ToString());
    }

    [Fact]
    public void Nodepool_gpu_limits_leave_room_for_the_autoscalers_maximum_in_whole_nodes()
    {
        // llama70b-pd: prefill 2 × TP4 (1 node), decode 4 × TP4 (2 nodes); at max 3 and 5 replicas: 2 and 3 nodes.
        var spec = Autoscaled(ReferenceTopologies.Get("llama70b-pd"), prefillMax: 3, decodeMax: 5);
        spec.Pools[0].Autoscaling.MinReplicas = 2;
        var set = Build(spec);
        Assert.Equal("16", NodePool(set, "llama70b-pd-gpu-prefill").Spec.Limits!["nvidia.com/gpu"].ToString());
        Assert.Equal("24", NodePool(set, "llama70b-pd-gpu-decode").Spec.Limits!["nvidia.com/gpu"].ToString());
        var resolved = ResolvedTopology.Resolve(spec).NodePools.Single(n => n.Role == PoolRole.Decode);
        Assert.Equal((16, 24, 3), (resolved.GpusNeeded, resolved.GpusNeededAtMax, resolved.NodesAtMax));
    }

    [Fact]
    public void Gpu_nodes_never_expire_under_karpenter_and_stay_under_auto_modes_21_days()
    {
        var auto = Build(ReferenceTopologies.Get("llama70b-pd"));
        Assert.All(All<NodePool>(auto), p => Assert.Equal("480h", p.Spec.Template.Spec.ExpireAfter));
        var karpenter = Build(ReferenceTopologies.Get("llama70b-pd-karpenter"));
        Assert.All(All<NodePool>(karpenter), p => Assert.Equal("Never", p.Spec.Template.Spec.ExpireAfter));

        var spec = ReferenceTopologies.Get("llama70b-pd");
        spec.Eks.NodePools = [new NodePoolSettings { Role = PoolRole.Decode, ExpireAfter = "336h", TerminationGracePeriod = "48h" }];
        var decode = NodePool(Build(spec), "llama70b-pd-gpu-decode");
        Assert.Equal(("336h", "48h"), (decode.Spec.Template.Spec.ExpireAfter, decode.Spec.Template.Spec.TerminationGracePeriod));
    }

    [Fact]
    public void Budgets_allow_one_node_at_a_time_and_no_serving_node_outside_the_maintenance_window()
    {
        var pool = NodePool(Build(ReferenceTopologies.Get("llama70b-pd")), "llama70b-pd-gpu-decode");
        var budgets = pool.Spec.Disruption!.Budgets!;
        Assert.Equal(2, budgets.Count);
        Assert.Equal(("1", null, null, null), (budgets[0].Nodes, budgets[0].Reasons, budgets[0].Schedule, budgets[0].Duration));
        // Sundays 02:00-06:00 UTC open; the rest of the week (from 06:00 Sunday, 164h) closed to drift and consolidation.
        Assert.Equal("0", budgets[1].Nodes);
        Assert.Equal(["Drifted", "Underutilized"], budgets[1].Reasons);
        Assert.Equal(("0 6 * * 0", "164h"), (budgets[1].Schedule, budgets[1].Duration));
        Assert.Equal("WhenEmpty", pool.Spec.Disruption.ConsolidationPolicy);

        var spec = ReferenceTopologies.Get("llama70b-pd");
        spec.Eks.NodePools = [new NodePoolSettings { Role = PoolRole.Decode, MaintenanceWindow = "" }];
        var closed = NodePool(Build(spec), "llama70b-pd-gpu-decode").Spec.Disruption!.Budgets![1];
        Assert.Equal(("0", null, null), (closed.Nodes, closed.Schedule, closed.Duration)); // always closed to serving nodes
    }

    [Theory]
    [InlineData("0 2 * * sun", "4h", "0 6 * * 0", "164h")]
    [InlineData("0 22 * * sat", "4h", "0 2 * * 0", "164h")] // wraps into Sunday
    [InlineData("30 3 * * *", "90m", "0 5 * * *", "22h30m")] // daily
    [InlineData("15 23 * * 7", "1h30m", "45 0 * * 1", "166h30m")]
    public void A_maintenance_window_closes_over_its_complement(string cron, string duration, string schedule, string length)
    {
        var window = MaintenanceWindow.Parse(cron, duration);
        Assert.Equal((schedule, length), (window.ComplementSchedule, window.ComplementDuration));
    }

    [Theory]
    [InlineData("0 2 1 * *", "4h")]
    [InlineData("0 25 * * sun", "4h")]
    [InlineData("0 2 * * funday", "4h")]
    [InlineData("0 2 * * sun", "4 hours")]
    [InlineData("0 2 * * *", "24h")]
    public void A_maintenance_window_karpenter_cannot_express_is_refused(string cron, string duration) =>
        Assert.Throws<Engine.InputException>(() => MaintenanceWindow.Parse(cron, duration));

    // --- EC2NodeClass ----------------------------------------------------------------------------------------------

    [Fact]
    public void Auto_mode_writes_no_node_class_and_references_the_built_in_one()
    {
        var set = Build(ReferenceTopologies.Get("llama70b-pd"));
        Assert.Null(set["nodeclass.yaml"]);
        Assert.All(All<NodePool>(set), p => Assert.Equal(("eks.amazonaws.com", "NodeClass", "default"),
            (p.Spec.Template.Spec.NodeClassRef.Group, p.Spec.Template.Spec.NodeClassRef.Kind, p.Spec.Template.Spec.NodeClassRef.Name)));
    }

    [Fact]
    public void Karpenter_mode_writes_an_ec2nodeclass_with_the_nvidia_ami_raid0_and_efa_ready_selectors()
    {
        var set = Build(ReferenceTopologies.Get("llama70b-pd-karpenter"));
        var nodeClass = Assert.IsType<Ec2NodeClass>(Assert.Single(set["nodeclass.yaml"]!.Objects));
        Assert.Equal(("karpenter.k8s.aws/v1", "EC2NodeClass", "llama70b-pd-karpenter-gpu"), (nodeClass.ApiVersion, nodeClass.Kind, nodeClass.Metadata.Name));
        Assert.Null(nodeClass.Metadata.NamespaceProperty);
        Assert.Equal("al2023@latest", Assert.Single(nodeClass.Spec.AmiSelectorTerms).Alias);
        Assert.Equal("RAID0", nodeClass.Spec.InstanceStorePolicy);
        Assert.Equal(("KarpenterNodeRole-disagg", null), (nodeClass.Spec.Role, nodeClass.Spec.InstanceProfile));
        Assert.Equal("disagg", Assert.Single(nodeClass.Spec.SubnetSelectorTerms).Tags!["karpenter.sh/discovery"]);
        Assert.Equal("disagg", Assert.Single(nodeClass.Spec.SecurityGroupSelectorTerms).Tags!["karpenter.sh/discovery"]);
        Assert.Equal("llama70b-pd", Assert.Single(nodeClass.Spec.CapacityReservationSelectorTerms!).Tags!["disaggserving/topology"]);
        Assert.All(All<NodePool>(set), p => Assert.Equal(("karpenter.k8s.aws", "EC2NodeClass", "llama70b-pd-karpenter-gpu"),
            (p.Spec.Template.Spec.NodeClassRef.Group, p.Spec.Template.Spec.NodeClassRef.Kind, p.Spec.Template.Spec.NodeClassRef.Name)));
        Assert.Equal(["nodeclass.yaml", "nodepools.yaml"], set.Files.Select(f => f.Name).Skip(1).Take(2));
    }

    [Fact]
    public void The_ec2nodeclass_takes_ids_an_instance_profile_bottlerocket_reservations_and_a_placement_group()
    {
        var spec = ReferenceTopologies.Get("llama70b-pd");
        spec.Eks.NodeClassKind = NodeClassKind.Karpenter;
        spec.Eks.NodeClass = new Ec2NodeClassSettings
        {
            AmiAlias = "bottlerocket@latest",
            InstanceProfile = "gpu-nodes",
            SubnetIds = ["subnet-0a", "subnet-0b"],
            SecurityGroupTags = new() { ["efa"] = "true", ["cluster"] = "prod" },
            CapacityReservationIds = ["cr-0123456789abcdef0"],
            PlacementGroup = "efa-cluster",
            Tags = new() { ["team"] = "ml" },
        };
        var nodeClass = NodeClassBuilder.Build(new ManifestContext(spec));
        Assert.Equal("bottlerocket@latest", nodeClass.Spec.AmiSelectorTerms[0].Alias);
        Assert.Equal((null, "gpu-nodes"), (nodeClass.Spec.Role, nodeClass.Spec.InstanceProfile));
        Assert.Equal(["subnet-0a", "subnet-0b"], nodeClass.Spec.SubnetSelectorTerms.Select(t => t.Id));
        Assert.Equal(["cluster", "efa"], Assert.Single(nodeClass.Spec.SecurityGroupSelectorTerms).Tags!.Keys);
        Assert.Equal("cr-0123456789abcdef0", Assert.Single(nodeClass.Spec.CapacityReservationSelectorTerms!).Id);
        Assert.Equal("efa-cluster", nodeClass.Spec.PlacementGroupSelector!.Name);
        Assert.Equal("ml", nodeClass.Spec.Tags!["team"]);
        Assert.Equal("test-gpu", new ManifestContext(new TopologySpec { Name = "test", Eks = new EksSettings { NodeClassKind = NodeClassKind.Karpenter } }).NodeClassName);
    }

    [Fact]
    public void An_existing_ec2nodeclass_can_be_referenced_instead()
    {
        var spec = ReferenceTopologies.Get("llama70b-pd-karpenter");
        spec.Eks.NodeClass.Create = false;
        spec.Eks.NodeClassName = "gpu";
        var set = Build(spec);
        Assert.Null(set["nodeclass.yaml"]);
        Assert.All(All<NodePool>(set), p => Assert.Equal("gpu", p.Spec.Template.Spec.NodeClassRef.Name));
    }

    // --- Autoscaling -------------------------------------------------------------------------------------------------

    [Fact]
    public void Autoscaling_is_off_until_a_pool_sets_its_maximum()
    {
        var set = Build(ReferenceTopologies.Get("llama70b-pd"));
        Assert.Null(set["autoscaling.yaml"]);
        Assert.Empty(All<ScaledObject>(set));
        Assert.Equal(2, Assert.IsType<V1Deployment>(set["prefill.yaml"]!.Objects[0]).Spec.Replicas);
    }

    [Fact]
    public void An_autoscaled_deployment_pool_gets_a_scaledobject_on_its_vllm_metrics_and_leaves_replicas_to_it()
    {
        var set = Build(ReferenceTopologies.Get("llama70b-pd-karpenter"));
        var scaled = All<ScaledObject>(set).ToDictionary(s => s.Metadata.Name);
        Assert.Equal(["prefill", "decode"], scaled.Keys);
        var decode = scaled["decode"];
        Assert.Equal(("keda.sh/v1alpha1", "llama70b-pd-karpenter"), (decode.ApiVersion, decode.Metadata.NamespaceProperty));
        Assert.Equal(("apps/v1", "Deployment", "decode"), (decode.Spec.ScaleTargetRef.ApiVersion, decode.Spec.ScaleTargetRef.Kind, decode.Spec.ScaleTargetRef.Name));
        Assert.Equal((4, 8), (decode.Spec.MinReplicaCount, decode.Spec.MaxReplicaCount));
        Assert.Equal(["waiting-requests", "kv-cache-usage"], decode.Spec.Triggers.Select(t => t.Name));
        Assert.Equal(["waiting-requests", "ttft-p90"], scaled["prefill"].Spec.Triggers.Select(t => t.Name));
        Assert.All(decode.Spec.Triggers, t =>
        {
            Assert.Equal("prometheus", t.Type);
            Assert.Equal("http://prometheus-operated.monitoring.svc:9090", t.Metadata["serverAddress"]);
            Assert.Contains("app_kubernetes_io_instance=\"llama70b-pd-karpenter-decode\"", t.Metadata["query"], StringComparison.Ordinal);
        });
        Assert.Contains("vllm:num_requests_waiting", decode.Spec.Triggers[0].Metadata["query"], StringComparison.Ordinal);
        Assert.Equal(("AverageValue", "5"), (decode.Spec.Triggers[0].MetricType, decode.Spec.Triggers[0].Metadata["threshold"]));
        Assert.Contains("vllm:kv_cache_usage_perc", decode.Spec.Triggers[1].Metadata["query"], StringComparison.Ordinal);
        Assert.Equal(("Value", "0.8"), (decode.Spec.Triggers[1].MetricType, decode.Spec.Triggers[1].Metadata["threshold"]));
        Assert.Contains("histogram_quantile(0.9", scaled["prefill"].Spec.Triggers[1].Metadata["query"], StringComparison.Ordinal);
        Assert.Equal(600, decode.Spec.Advanced!.HorizontalPodAutoscalerConfig!.Behavior!.ScaleDown.StabilizationWindowSeconds);

        // The Deployment leaves replicas to the HPA, so re-applying the manifests does not reset the count.
        Assert.Null(Assert.IsType<V1Deployment>(set["decode.yaml"]!.Objects[0]).Spec.Replicas);
        Assert.Equal(["prefill", "decode"], All<ScaledObject>(Build(ReferenceTopologies.Get("llama70b-pd-karpenter"))).Select(s => s.Metadata.Name));
    }

    [Fact]
    public void A_colocated_pool_scales_on_all_three_signals()
    {
        var pool = Samples.Pool("serve", PoolRole.Both, 4);
        pool.Autoscaling.MaxReplicas = 3;
        var scaled = Assert.Single(All<ScaledObject>(Build(Samples.Single(pool))));
        Assert.Equal(["waiting-requests", "kv-cache-usage", "ttft-p90"], scaled.Spec.Triggers.Select(t => t.Name));
    }

    [Fact]
    public void An_autoscaled_leaderworkerset_is_scaled_through_its_scale_subresource()
    {
        var spec = ReferenceTopologies.Get("glm5-pd-lws");
        Autoscaled(spec, prefillMax: 2, decodeMax: 3);
        var set = Build(spec);
        var decode = All<ScaledObject>(set).Single(s => s.Metadata.Name == "decode");
        Assert.Equal(("leaderworkerset.x-k8s.io/v1", "LeaderWorkerSet", "decode"), (decode.Spec.ScaleTargetRef.ApiVersion, decode.Spec.ScaleTargetRef.Kind, decode.Spec.ScaleTargetRef.Name));
        Assert.Null(Assert.IsType<LeaderWorkerSet>(set["decode.yaml"]!.Objects[0]).Spec.Replicas);
        // The NodePool limit follows: each decode group is whole nodes, 3 groups at most.
        var decodePool = ResolvedTopology.Resolve(spec).NodePools.Single(n => n.Role == PoolRole.Decode);
        Assert.Equal(decodePool.GpusNeededAtMax, int.Parse(All<NodePool>(set).Single(p => p.Metadata.Name == decodePool.Name).Spec.Limits!["nvidia.com/gpu"].ToString()));
        Assert.Equal(3 * spec.Pools[1].GpusPerReplica, decodePool.GpusNeededAtMax);
    }

    [Fact]
    public void A_disaggregatedset_role_is_scaled_through_its_role_scaler_in_external_mode()
    {
        var spec = ReferenceTopologies.Get("glm5-pd-ds");
        spec.Pools.Single(p => p.Role == PoolRole.Decode).Autoscaling = new PoolAutoscaling { MaxReplicas = 3 };
        var set = Build(spec);
        var ds = All<DisaggregatedSet>(set).Single();
        var decodeRole = ds.Spec.Roles.Single(r => r.Name == "decode");
        var prefillRole = ds.Spec.Roles.Single(r => r.Name == "prefill");
        Assert.Equal("External", decodeRole.Scaling!.Mode);
        Assert.Null(decodeRole.Spec.Replicas);
        Assert.Null(prefillRole.Scaling); // static roles keep their replicas
        Assert.NotNull(prefillRole.Spec.Replicas);
        var scaled = Assert.Single(All<ScaledObject>(set));
        Assert.Equal(("disaggregatedset.x-k8s.io/v1", "DisaggregatedSetRoleScaler", $"{ds.Metadata.Name}-decode"),
            (scaled.Spec.ScaleTargetRef.ApiVersion, scaled.Spec.ScaleTargetRef.Kind, scaled.Spec.ScaleTargetRef.Name));
    }

    // --- Disruption budgets -----------------------------------------------------------------------------------------

    [Theory]
    [MemberData(nameof(GoldenManifestTests.Names), MemberType = typeof(GoldenManifestTests))]
    public void The_router_and_every_engine_pool_have_a_disruption_budget_of_one_pod(string name)
    {
        var spec = ReferenceTopologies.Get(name);
        var set = Build(spec);
        var budgets = All<V1PodDisruptionBudget>(set).ToDictionary(b => b.Metadata.Name);
        Assert.Equal(spec.Pools.Select(p => p.Name).Append("router").Order(StringComparer.Ordinal), budgets.Keys.Order(StringComparer.Ordinal));
        foreach (var budget in budgets.Values)
        {
            Assert.Equal(("policy/v1", 1, "AlwaysAllow"), (budget.ApiVersion, int.Parse(budget.Spec.MaxUnavailable.Value), budget.Spec.UnhealthyPodEvictionPolicy));
            Assert.Null(budget.Spec.MinAvailable);
        }

        // Each selects exactly its workload's pods: every pod template of the pool (leader and workers) carries its labels.
        var router = Assert.IsType<V1Deployment>(set["router.yaml"]!.Objects[0]);
        Assert.Equal(router.Spec.Selector.MatchLabels, budgets["router"].Spec.Selector.MatchLabels);
        foreach (var template in PodTemplates(set))
        {
            var pool = template.Metadata.Labels[Labels.Instance][(spec.Name.Length + 1)..];
            Assert.All(budgets[pool].Spec.Selector.MatchLabels, l => Assert.Equal(l.Value, template.Metadata.Labels[l.Key]));
        }
    }

    private static IEnumerable<V1PodTemplateSpec> PodTemplates(ManifestSet set) =>
        All<V1Deployment>(set).Where(d => d.Metadata.Labels[Labels.Name] is "vllm" or "disagg-worker").Select(d => d.Spec.Template)
            .Concat(All<LeaderWorkerSet>(set).SelectMany(l => new[] { l.Spec.LeaderWorkerTemplate.LeaderTemplate, l.Spec.LeaderWorkerTemplate.WorkerTemplate }).OfType<V1PodTemplateSpec>())
            .Concat(All<DisaggregatedSet>(set).SelectMany(d => d.Spec.Roles).SelectMany(r => new[] { r.Spec.LeaderWorkerTemplate.LeaderTemplate, r.Spec.LeaderWorkerTemplate.WorkerTemplate }).OfType<V1PodTemplateSpec>());

    // --- NetworkPolicies --------------------------------------------------------------------------------------------

    private static Dictionary<string, V1NetworkPolicy> Policies(TopologySpec spec) =>
        All<V1NetworkPolicy>(Build(spec)).ToDictionary(p => p.Metadata.Name);

    private static List<string> Ports(V1NetworkPolicyIngressRule rule) =>
        rule.Ports?.Select(p => p.EndPort is { } end ? $"{p.Port.Value}-{end}" : p.Port.Value).ToList() ?? ["*"];

    [Fact]
    public void Only_the_router_reaches_the_engines_http_port_and_engines_reach_each_other_on_nixl()
    {
        var policies = Policies(ReferenceTopologies.Get("llama70b-pd"));
        Assert.Equal(["prefill", "decode", "router", "kv-transfer"], policies.Keys);
        var decode = policies["decode"];
        Assert.Equal(["Ingress"], decode.Spec.PolicyTypes);
        Assert.Equal(("vllm", "llama70b-pd-decode"), (decode.Spec.PodSelector.MatchLabels[Labels.Name], decode.Spec.PodSelector.MatchLabels[Labels.Instance]));
        Assert.Equal(2, decode.Spec.Ingress.Count);
        var fromRouter = decode.Spec.Ingress[0];
        Assert.Equal("disagg-router", Assert.Single(fromRouter.FromProperty).PodSelector.MatchLabels[Labels.Name]);
        Assert.Equal(["http"], Ports(fromRouter));
        var fromEngines = decode.Spec.Ingress[1];
        var engines = Assert.Single(fromEngines.FromProperty).PodSelector;
        Assert.Equal("llama70b-pd", engines.MatchLabels[Labels.PartOf]);
        Assert.Equal((Labels.Role, "Exists"), (engines.MatchExpressions[0].Key, engines.MatchExpressions[0].OperatorProperty));
        Assert.Equal(["nixl"], Ports(fromEngines));
        Assert.All(decode.Spec.Ingress, r => Assert.All(r.FromProperty, p => Assert.Null(p.NamespaceSelector))); // same namespace only

        var router = policies["router"];
        Assert.Null(Assert.Single(router.Spec.Ingress).FromProperty);
        Assert.Equal(["http"], Ports(router.Spec.Ingress[0]));
        var kv = Assert.Single(policies["kv-transfer"].Spec.Ingress);
        Assert.Equal(2, kv.FromProperty.Count);
        Assert.Equal(["grpc"], Ports(kv));
    }

    [Fact]
    public void A_multi_node_group_talks_to_itself_on_dist_and_the_ephemeral_ports_nccl_binds()
    {
        var pool = Policies(ReferenceTopologies.Get("glm5-lws"))["vllm-glm5-fp8"];
        var group = pool.Spec.Ingress.Single(r => Ports(r).Contains("dist"));
        Assert.Equal(["dist", "32768-60999"], Ports(group));
        Assert.Equal("glm5-lws-vllm-glm5-fp8", Assert.Single(group.FromProperty).PodSelector.MatchLabels[Labels.Instance]);
        Assert.DoesNotContain(pool.Spec.Ingress, r => Ports(r).Contains("nixl")); // colocated: no KV transfer
    }

    [Fact]
    public void Prometheus_may_scrape_the_engines_when_a_pool_autoscales_or_when_asked()
    {
        Assert.DoesNotContain(Policies(ReferenceTopologies.Get("llama70b-pd"))["decode"].Spec.Ingress, r => r.FromProperty.Any(p => p.NamespaceSelector is not null));
        foreach (var policies in new[] { Policies(ReferenceTopologies.Get("llama70b-pd-karpenter")), Scraped() })
        {
            var scrape = policies["decode"].Spec.Ingress.Single(r => r.FromProperty.Any(p => p.NamespaceSelector is not null));
            Assert.Equal("monitoring", scrape.FromProperty[0].NamespaceSelector.MatchLabels["kubernetes.io/metadata.name"]);
            Assert.Equal(["http"], Ports(scrape));
            Assert.Contains(policies["kv-transfer"].Spec.Ingress, r => r.FromProperty.Any(p => p.NamespaceSelector is not null));
        }

        static Dictionary<string, V1NetworkPolicy> Scraped()
        {
            var spec = ReferenceTopologies.Get("llama70b-pd");
            spec.Eks.Prometheus.Scrape = true;
            return Policies(spec);
        }
    }

    [Fact]
    public void Ucx_moves_kv_over_tcp_on_its_own_ports_so_engines_are_open_to_each_other()
    {
        var spec = ReferenceTopologies.Get("llama70b-pd");
        spec.KvTransfer.NixlBackend = NixlBackend.Ucx;
        Assert.Contains(Policies(spec)["prefill"].Spec.Ingress, r => r.FromProperty.Any(p => p.PodSelector?.MatchLabels.ContainsKey(Labels.PartOf) == true) && r.Ports is null);
    }

    [Fact]
    public void Worker_engines_also_take_the_routers_lease_releases_on_their_kv_port()
    {
        var spec = ReferenceTopologies.Get("local-70b");
        spec.Engine.Kind = EngineKind.Worker;
        Assert.Equal(["http", "nixl"], Ports(Policies(spec)["decode"].Spec.Ingress[0]));
    }

    [Fact]
    public void Network_policies_can_be_left_out()
    {
        var spec = ReferenceTopologies.Get("llama70b-pd");
        spec.Eks.NetworkPolicies = false;
        var set = Build(spec);
        Assert.Null(set["networkpolicies.yaml"]);
        Assert.Empty(All<V1NetworkPolicy>(set));
    }
}
