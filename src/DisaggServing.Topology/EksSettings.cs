namespace DisaggServing.Topology;

/// <summary>How the cluster provisions and wires GPU nodes, where our images come from, and the cluster objects around the engines.</summary>
public sealed class EksSettings
{
    /// <summary>EKS Auto Mode or self-managed Karpenter.</summary>
    public NodeClassKind NodeClassKind { get; set; } = NodeClassKind.AutoMode;

    /// <summary>
    /// Name of the NodeClass (Auto Mode) or EC2NodeClass (Karpenter) GPU NodePools reference; empty means Auto Mode's
    /// built-in <c>default</c>, or under Karpenter the EC2NodeClass this topology writes, <c>&lt;topology&gt;-gpu</c>.
    /// </summary>
    public string NodeClassName { get; set; } = "";

    /// <summary>The EC2NodeClass written under Karpenter (<see cref="Ec2NodeClassSettings.Create"/>); Auto Mode ignores it.</summary>
    public Ec2NodeClassSettings NodeClass { get; set; } = new();

    /// <summary>
    /// Name of the EKS cluster. Under Karpenter it is the default value of the <c>karpenter.sh/discovery</c> tag that
    /// selects subnets and security groups, and names the default node role <c>KarpenterNodeRole-&lt;cluster&gt;</c>.
    /// </summary>
    public string ClusterName { get; set; } = "";

    /// <summary>
    /// Container registry our own images (router, KV-transfer, worker) were pushed to, e.g. an ECR registry
    /// <c>123456789012.dkr.ecr.us-west-2.amazonaws.com</c>: their names get it as prefix unless they already name a
    /// registry. Empty leaves the names as configured (they are on no public registry).
    /// </summary>
    public string Registry { get; set; } = "";

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

    /// <summary>
    /// Write NetworkPolicies: only the router reaches the engines' HTTP port, engines reach each other only on the NIXL
    /// and torch.distributed ports, the KV-transfer service only from the router and engines.
    /// </summary>
    public bool NetworkPolicies { get; set; } = true;

    /// <summary>The Prometheus that KEDA queries for autoscaling, and that may scrape the engines.</summary>
    public PrometheusSettings Prometheus { get; set; } = new();

    /// <summary>Extra labels on every object.</summary>
    public Dictionary<string, string> Labels { get; set; } = [];

    /// <summary>The node class name in effect (see <see cref="NodeClassName"/>).</summary>
    public string NodeClassNameFor(string topology) =>
        !string.IsNullOrWhiteSpace(NodeClassName) ? NodeClassName
        : NodeClassKind == NodeClassKind.AutoMode ? "default"
        : string.IsNullOrWhiteSpace(topology) ? "gpu" : $"{topology}-gpu";
}
