namespace DisaggServing.Topology;

/// <summary>
/// The Karpenter <c>EC2NodeClass</c> (karpenter.k8s.aws/v1) for GPU nodes that a topology writes under
/// <c>Eks:NodeClassKind=Karpenter</c>: AMI, node identity, EFA-ready subnets and security groups, instance-store
/// RAID0, and optional capacity reservations (including Capacity Blocks for ML) and placement group.
/// Selector dictionaries and lists start empty because the configuration binder appends to them.
/// </summary>
public sealed class Ec2NodeClassSettings
{
    /// <summary>Write the EC2NodeClass; false references an existing one named <see cref="EksSettings.NodeClassName"/>.</summary>
    public bool Create { get; set; } = true;

    /// <summary>
    /// EKS-optimized AMI alias, <c>family@version</c>: <c>al2023@…</c> (Karpenter picks the NVIDIA variant for GPU
    /// instance types) or <c>bottlerocket@…</c> (likewise its NVIDIA variant). <c>latest</c> drifts nodes to each new
    /// AMI, which the NodePools' budgets hold to the maintenance window; pin a version (<c>al2023@v20250920</c>) to
    /// roll AMIs yourself.
    /// </summary>
    public string AmiAlias { get; set; } = "al2023@latest";

    /// <summary>IAM role of the nodes (Karpenter creates the instance profile); empty means <c>KarpenterNodeRole-&lt;ClusterName&gt;</c>.</summary>
    public string Role { get; set; } = "";

    /// <summary>An existing instance profile instead of <see cref="Role"/>.</summary>
    public string InstanceProfile { get; set; } = "";

    /// <summary>Subnet tags to select (all must match); empty means <c>karpenter.sh/discovery=&lt;ClusterName&gt;</c> unless <see cref="SubnetIds"/> are given.</summary>
    public Dictionary<string, string> SubnetTags { get; set; } = [];

    /// <summary>Subnet ids, each its own selector term (e.g. the EFA subnets of one zone).</summary>
    public List<string> SubnetIds { get; set; } = [];

    /// <summary>
    /// Security-group tags to select; empty means <c>karpenter.sh/discovery=&lt;ClusterName&gt;</c> unless
    /// <see cref="SecurityGroupIds"/> are given. EFA needs a group that allows all traffic to and from itself.
    /// </summary>
    public Dictionary<string, string> SecurityGroupTags { get; set; } = [];

    /// <summary>Security-group ids, each its own selector term.</summary>
    public List<string> SecurityGroupIds { get; set; } = [];

    /// <summary>On-Demand Capacity Reservation or Capacity Block ids (<c>cr-…</c>) the nodes may launch into (NodePool capacity type <c>reserved</c>).</summary>
    public List<string> CapacityReservationIds { get; set; } = [];

    /// <summary>Capacity reservation tags to select, instead of or beside ids.</summary>
    public Dictionary<string, string> CapacityReservationTags { get; set; } = [];

    /// <summary>Name of a cluster placement group to launch into (lowest EFA latency); empty for none.</summary>
    public string PlacementGroup { get; set; } = "";

    /// <summary>
    /// <c>RAID0</c> stripes the instance's NVMe disks (8 × 3.84 TB on p5) and puts kubelet and containerd storage on
    /// them, so images, the model cache emptyDir and logs fit; empty leaves the disks unused.
    /// </summary>
    public string InstanceStorePolicy { get; set; } = "RAID0";

    /// <summary>Extra EC2 tags on the instances and their volumes.</summary>
    public Dictionary<string, string> Tags { get; set; } = [];
}
