namespace DisaggServing.Topology;

/// <summary>A GPU NodePool with its defaults filled in and the pools that run on it.</summary>
/// <param name="Name">NodePool name.</param>
/// <param name="Role">Role label and taint of its nodes.</param>
/// <param name="Settings">The settings it came from (a default one when the topology lists none for the role).</param>
/// <param name="Pools">Pools whose pods target it.</param>
/// <param name="InstanceFamilies">Instance families it may launch.</param>
/// <param name="InstanceTypes">Instance types it may launch (empty: any of the families).</param>
/// <param name="Nodes">Nodes its pools are placed on.</param>
/// <param name="NodeGpus">GPUs on those nodes.</param>
public sealed record ResolvedNodePool(
    string Name,
    PoolRole Role,
    NodePoolSettings Settings,
    IReadOnlyList<TopologyPool> Pools,
    IReadOnlyList<string> InstanceFamilies,
    IReadOnlyList<string> InstanceTypes,
    int Nodes,
    int NodeGpus)
{
    /// <summary>Nodes its pools are placed on with every autoscaled pool at its maximum.</summary>
    public int NodesAtMax { get; init; } = Nodes;

    /// <summary>GPUs on <see cref="NodesAtMax"/>.</summary>
    public int NodeGpusAtMax { get; init; } = NodeGpus;

    /// <summary>GPUs its pools request: replicas × TP × PP summed.</summary>
    public int GpusRequested => Pools.Sum(p => p.Gpus);

    /// <summary>
    /// GPUs the NodePool must be allowed: Karpenter counts a launched node's whole capacity against the limit, so
    /// the GPUs of the nodes placement packs the pools onto (at least what they request).
    /// </summary>
    public int GpusNeeded => Math.Max(GpusRequested, NodeGpus);

    /// <summary>GPUs the NodePool must be allowed for every autoscaled pool to reach its maximum (whole nodes again).</summary>
    public int GpusNeededAtMax => Math.Max(Math.Max(GpusNeeded, Pools.Sum(p => p.GpusPerReplica * p.MaxReplicas)), NodeGpusAtMax);

    /// <summary>
    /// The <c>nvidia.com/gpu</c> limit written: the configured one, else <see cref="GpusNeededAtMax"/>; null (no
    /// <c>limits</c> field, as in the seed) for a NodePool that no pool runs on and that sets no limit, never 0.
    /// </summary>
    public int? GpuLimit => Settings.GpuLimit > 0 ? Settings.GpuLimit : Pools.Count > 0 ? GpusNeededAtMax : null;

    /// <summary>The <c>llm-d-role</c> value: <c>prefill</c>, <c>decode</c> or <c>both</c>.</summary>
    public string RoleName => Role.ToString().ToLowerInvariant();
}
