namespace DisaggServing.Topology;

/// <summary>How the cluster provisions and wires GPU nodes.</summary>
public sealed class EksSettings
{
    /// <summary>EKS Auto Mode or self-managed Karpenter.</summary>
    public NodeClassKind NodeClassKind { get; set; } = NodeClassKind.AutoMode;

    /// <summary>Name of the NodeClass (Auto Mode) or EC2NodeClass (Karpenter) GPU NodePools reference.</summary>
    public string NodeClassName { get; set; } = "default";

    /// <summary>GPU NodePools; roles not listed get a default NodePool.</summary>
    public List<NodePoolSettings> NodePools { get; set; } = [];

    /// <summary>Write one DisaggregatedSet holding the prefill and decode roles instead of a workload per pool.</summary>
    public bool DisaggregatedSet { get; set; }

    /// <summary>
    /// Write every engine pool as LeaderWorkerSet groups, single-node pools too (groups of 1), instead of a Deployment
    /// per single-node pool; multi-node pools are LeaderWorkerSets either way.
    /// </summary>
    public bool LeaderWorkerSet { get; set; }

    /// <summary>
    /// Keep prefill and decode pods in one availability zone (a required zone pod affinity, or the
    /// DisaggregatedSet's zone placement policy): EFA does not cross zones.
    /// </summary>
    public bool SameZone { get; set; } = true;

    /// <summary>Run engine pods on the host network (then NIXL side-channel ports must differ per node).</summary>
    public bool HostNetwork { get; set; }

    /// <summary>Extra labels on every object.</summary>
    public Dictionary<string, string> Labels { get; set; } = [];
}
