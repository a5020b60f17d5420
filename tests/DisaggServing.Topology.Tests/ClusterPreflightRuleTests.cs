using DisaggServing.Topology.Preflight;

namespace DisaggServing.Topology.Tests;

/// <summary>Preflight rules of the cluster objects: NodePool disruption, the EC2NodeClass, autoscaling, GPU limits at the maximum.</summary>
public class ClusterPreflightRuleTests
{
    private static List<PreflightFinding> Findings(TopologySpec spec, string rule) =>
        TopologyPreflight.Run(spec).Findings.Where(f => f.RuleId == rule).ToList();

    [Fact]
    public void Auto_mode_rejects_never_expiring_nodes_and_lifetimes_past_21_days()
    {
        var spec = ReferenceTopologies.Get("llama70b-pd");
        spec.Eks.NodePools = [new NodePoolSettings { Role = PoolRole.Decode, ExpireAfter = "Never" }];
        Assert.Contains("21 days", Assert.Single(Findings(spec, "nodepool-disruption")).Message, StringComparison.Ordinal);
        spec.Eks.NodePools[0].ExpireAfter = "";
        spec.Eks.NodePools[0].TerminationGracePeriod = "48h"; // 480h + 48h > 504h
        Assert.Equal(PreflightSeverity.Error, Assert.Single(Findings(spec, "nodepool-disruption")).Severity);
        spec.Eks.NodePools[0].ExpireAfter = "456h";
        Assert.Empty(Findings(spec, "nodepool-disruption"));
    }

    [Fact]
    public void A_karpenter_expiry_is_a_warning_and_a_bad_window_or_capacity_type_an_error()
    {
        var spec = ReferenceTopologies.Get("llama70b-pd-karpenter");
        spec.Eks.NodePools[1].ExpireAfter = "720h";
        Assert.Equal(PreflightSeverity.Warning, Assert.Single(Findings(spec, "nodepool-disruption")).Severity);
        spec.Eks.NodePools[1].ExpireAfter = "";
        spec.Eks.NodePools[1].MaintenanceWindow = "0 2 1 * *";
        spec.Eks.NodePools[1].CapacityTypes = ["dedicated"];
        Assert.Equal(2, Findings(spec, "nodepool-disruption").Count(f => f.Severity == PreflightSeverity.Error));
    }

    [Fact]
    public void Reserved_capacity_needs_a_reservation_the_ec2nodeclass_selects()
    {
        var spec = ReferenceTopologies.Get("llama70b-pd-karpenter");
        spec.Eks.NodeClass.CapacityReservationTags.Clear();
        Assert.Equal(2, Findings(spec, "nodepool-disruption").Count(f => f.Message.Contains("reserved", StringComparison.Ordinal)));
    }

    [Fact]
    public void An_autoscaling_range_must_hold_the_replicas_and_start_at_one()
    {
        var spec = ReferenceTopologies.Get("llama70b-pd");
        spec.Pools[1].Autoscaling = new PoolAutoscaling { MinReplicas = 0, MaxReplicas = 8 };
        Assert.Contains(Findings(spec, "autoscaling"), f => f.Message.Contains("MinReplicas is 0", StringComparison.Ordinal));
        spec.Pools[1].Autoscaling = new PoolAutoscaling { MinReplicas = 1, MaxReplicas = 3 }; // Replicas = 4
        Assert.Contains(Findings(spec, "autoscaling"), f => f.Message.Contains("outside", StringComparison.Ordinal));
        spec.Pools[1].Autoscaling = new PoolAutoscaling { MinReplicas = 2, MaxReplicas = 6, WaitingRequestsPerReplica = 0, KvCacheUsage = 0 };
        Assert.Contains(Findings(spec, "autoscaling"), f => f.Message.Contains("trigger", StringComparison.Ordinal));
        spec.Pools[1].Autoscaling.KvCacheUsage = 0.85;
        Assert.Empty(Findings(spec, "autoscaling"));
    }

    [Fact]
    public void A_nodepool_limit_below_the_autoscaling_maximum_is_a_warning()
    {
        var spec = ReferenceTopologies.Get("llama70b-pd-karpenter");
        spec.Eks.NodePools[1].GpuLimit = 16; // decode needs 16 now, 32 at 8 replicas
        var finding = Assert.Single(Findings(spec, "nodepool-gpu-limit"));
        Assert.Equal(PreflightSeverity.Warning, finding.Severity);
        Assert.Contains("32", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_karpenter_node_class_needs_an_identity_subnets_security_groups_and_a_gpu_ami()
    {
        var spec = ReferenceTopologies.Get("llama70b-pd-karpenter");
        spec.Eks.ClusterName = "";
        spec.Eks.NodeClass.AmiAlias = "al2@latest";
        var findings = Findings(spec, "karpenter-node-class");
        Assert.Equal(4, findings.Count(f => f.Severity == PreflightSeverity.Error));
        spec.Eks.NodeClass = new Ec2NodeClassSettings { Role = "gpu-nodes", SubnetIds = ["subnet-1"], SecurityGroupIds = ["sg-1"], CapacityReservationIds = ["cr-1"] };
        Assert.Empty(Findings(spec, "karpenter-node-class"));
        spec.Eks.NodeClass.InstanceStorePolicy = "";
        Assert.Equal(PreflightSeverity.Warning, Assert.Single(Findings(spec, "karpenter-node-class")).Severity);
    }
}
