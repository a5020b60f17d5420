namespace DisaggServing.Topology;

/// <summary>
/// One Karpenter NodePool for GPU nodes of a role. A role whose pools have no NodePool listed gets a default one;
/// a NodePool listed for a role without pools is still written (it reserves the shape for later).
/// </summary>
public sealed class NodePoolSettings
{
    /// <summary>NodePool name; empty means <c>gpu-prefill</c>, <c>gpu-decode</c> or <c>gpu-serving</c> by role.</summary>
    public string Name { get; set; } = "";

    /// <summary>Role of the nodes: their <c>llm-d-role</c> label and NoSchedule taint.</summary>
    public PoolRole Role { get; set; } = PoolRole.Both;

    /// <summary>Instance families the NodePool may launch; empty means the families of its pools' instance types.</summary>
    public List<string> InstanceFamilies { get; set; } = [];

    /// <summary>Instance types the NodePool may launch; empty means its pools' instance types (none when it has no pools).</summary>
    public List<string> InstanceTypes { get; set; } = [];

    /// <summary>Availability zones the nodes may be launched in; empty means any zone of the node class's subnets.</summary>
    public List<string> AvailabilityZones { get; set; } = [];

    /// <summary>Capacity types (<c>on-demand</c>, <c>reserved</c>, <c>spot</c>); empty leaves Karpenter's default.</summary>
    public List<string> CapacityTypes { get; set; } = [];

    /// <summary>Extra taints on the nodes, as <c>key=value:Effect</c> or <c>key:Effect</c>, beyond the role taint.</summary>
    public List<string> Taints { get; set; } = [];

    /// <summary><c>limits: nvidia.com/gpu</c>; 0 means what the pools on this NodePool request.</summary>
    public int GpuLimit { get; set; }

    /// <summary>Karpenter consolidation policy; <c>WhenEmpty</c> never evicts a loaded model to repack nodes.</summary>
    public string ConsolidationPolicy { get; set; } = "WhenEmpty";

    /// <summary>How long an empty node is kept before removal (model loads take minutes, so not 0s).</summary>
    public string ConsolidateAfter { get; set; } = "30m";

    /// <summary>Nodes that voluntary disruption may take down at once.</summary>
    public string DisruptionBudget { get; set; } = "1";

    /// <summary>Node lifetime (<c>expireAfter</c>); empty leaves the default.</summary>
    public string ExpireAfter { get; set; } = "";
}
