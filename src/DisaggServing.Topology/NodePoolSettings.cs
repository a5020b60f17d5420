namespace DisaggServing.Topology;

/// <summary>
/// One Karpenter NodePool for GPU nodes of a role. A role whose pools have no NodePool listed gets a default one;
/// a NodePool listed for a role without pools is still written (it reserves the shape for later).
/// </summary>
public sealed class NodePoolSettings
{
    /// <summary>
    /// NodePool name; empty means <c>&lt;topology&gt;-gpu-prefill</c>, <c>-gpu-decode</c> or <c>-gpu-serving</c> by role
    /// (NodePools are cluster-scoped: a name of its own keeps one topology's limit from replacing another's).
    /// </summary>
    public string Name { get; set; } = "";

    /// <summary>Role of the nodes: their <c>llm-d-role</c> label and NoSchedule taint.</summary>
    public PoolRole Role { get; set; } = PoolRole.Both;

    /// <summary>Instance families the NodePool may launch; empty means the families of its pools' instance types.</summary>
    public List<string> InstanceFamilies { get; set; } = [];

    /// <summary>Instance types the NodePool may launch; empty means its pools' instance types (none when it has no pools).</summary>
    public List<string> InstanceTypes { get; set; } = [];

    /// <summary>Availability zones the nodes may be launched in; empty means any zone of the node class's subnets.</summary>
    public List<string> AvailabilityZones { get; set; } = [];

    /// <summary>
    /// Capacity types (<c>reserved</c>, <c>on-demand</c>, <c>spot</c>); empty leaves Karpenter's default, on-demand.
    /// <c>reserved</c> launches into the capacity reservations or Capacity Blocks the node class selects (Karpenter
    /// prefers them when <c>on-demand</c> is listed too).
    /// </summary>
    public List<string> CapacityTypes { get; set; } = [];

    /// <summary>Extra taints on the nodes, as <c>key=value:Effect</c> or <c>key:Effect</c>, beyond the role taint.</summary>
    public List<string> Taints { get; set; } = [];

    /// <summary>
    /// <c>limits: nvidia.com/gpu</c>; 0 means the GPUs of the whole nodes its pools need at their autoscaling maximum
    /// (at their replicas when they do not autoscale). A NodePool without pools and without a limit set is written
    /// without <c>limits</c>, never with 0.
    /// </summary>
    public int GpuLimit { get; set; }

    /// <summary>Karpenter consolidation policy; <c>WhenEmpty</c> never evicts a loaded model to repack nodes.</summary>
    public string ConsolidationPolicy { get; set; } = "WhenEmpty";

    /// <summary>How long an empty node is kept before removal (model loads take minutes, so not 0s).</summary>
    public string ConsolidateAfter { get; set; } = "30m";

    /// <summary>Nodes that voluntary disruption may take down at once (empty nodes at any time; serving ones only in the maintenance window).</summary>
    public string DisruptionBudget { get; set; } = "1";

    /// <summary>
    /// Start of the weekly or daily window in which Karpenter may drain serving nodes (drift to a new AMI or node
    /// class, consolidation of underutilized nodes), as cron <c>minute hour * * day-of-week</c> in UTC (Karpenter
    /// reads schedules in UTC); <c>*</c> as day-of-week makes it daily. Outside it a budget of 0 nodes blocks those
    /// reasons. Empty means no window: serving nodes are never drained voluntarily.
    /// </summary>
    public string MaintenanceWindow { get; set; } = "0 2 * * sun";

    /// <summary>Length of the maintenance window (<c>4h</c>, <c>90m</c>, <c>1h30m</c>).</summary>
    public string MaintenanceWindowDuration { get; set; } = "4h";

    /// <summary>
    /// Node lifetime (<c>expireAfter</c>). Expiry is forceful (Karpenter v1 ignores disruption budgets for it), so a
    /// serving GPU node should not expire: empty means <c>Never</c> under Karpenter, where nodes are renewed by drift in
    /// the maintenance window, and <c>480h</c> under Auto Mode, which replaces nodes after at most 21 days and rejects
    /// an <c>expireAfter</c> that, with the 24h termination grace period, exceeds that.
    /// </summary>
    public string ExpireAfter { get; set; } = "";

    /// <summary>
    /// How long Karpenter waits for a draining node's pods before deleting it anyway (<c>terminationGracePeriod</c>);
    /// empty leaves the default (none under Karpenter, 24h under Auto Mode).
    /// </summary>
    public string TerminationGracePeriod { get; set; } = "";
}
