using DisaggServing.Engine.Catalog;
using DisaggServing.Topology.Placement;

namespace DisaggServing.Topology;

/// <summary>Which GPU NodePools a topology has and which pool runs on which.</summary>
public static class NodePools
{
    /// <summary>
    /// The default NodePool name of a role in topology <paramref name="topology"/>: <c>&lt;topology&gt;-gpu-prefill</c>,
    /// <c>-gpu-decode</c> or <c>-gpu-serving</c>. NodePools are cluster-scoped, so each topology gets its own: applying
    /// one topology must not replace the GPU limit (or anything else) of another's.
    /// </summary>
    public static string DefaultName(string topology, PoolRole role)
    {
        var suffix = role switch
        {
            PoolRole.Prefill => "gpu-prefill",
            PoolRole.Decode => "gpu-decode",
            _ => "gpu-serving",
        };
        return string.IsNullOrWhiteSpace(topology) ? suffix : $"{topology}-{suffix}";
    }

    /// <summary>The name of the NodePool <paramref name="pool"/> targets in <paramref name="spec"/> (it may not exist).</summary>
    public static string TargetOf(TopologySpec spec, TopologyPool pool)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(pool);
        if (!string.IsNullOrWhiteSpace(pool.NodePool)) return pool.NodePool;
        var listed = spec.Eks.NodePools.FirstOrDefault(n => n.Role == pool.Role);
        return listed is null ? DefaultName(spec.Name, pool.Role) : NameOf(spec, listed);
    }

    /// <summary>
    /// The GPU NodePools: those listed, then a default one for each role whose pools target a NodePool not listed.
    /// None for the Worker engine, whose pods run on CPU nodes. <paramref name="placement"/> is the topology's EKS
    /// placement (<see cref="ResolvedTopology.Placement"/>).
    /// </summary>
    internal static IReadOnlyList<ResolvedNodePool> Resolve(TopologySpec spec, TopologyPlacement placement)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Engine.Kind == EngineKind.Worker) return [];
        var settings = spec.Eks.NodePools.ToList();
        foreach (var pool in spec.Pools)
        {
            var target = TargetOf(spec, pool);
            if (settings.All(s => NameOf(spec, s) != target) && target == DefaultName(spec.Name, pool.Role))
                settings.Add(new NodePoolSettings { Name = target, Role = pool.Role });
        }

        var nodes = placement.Nodes;
        // Karpenter's limit must leave room for the autoscaler's maximum: place every pool at its maximum too.
        var nodesAtMax = spec.Pools.Any(p => p.Autoscales)
            ? TopologyPlacement.Plan(spec.WithPools([.. spec.Pools.Select(p => p.Autoscales ? p.WithReplicas(p.MaxReplicas) : p)])).Nodes
            : nodes;
        return settings
            .GroupBy(s => NameOf(spec, s))
            .Select(g => Resolve(spec, g.Key, g.First(), nodes.Where(n => n.Group == g.Key).ToList(), nodesAtMax.Where(n => n.Group == g.Key).ToList()))
            .ToList();
    }

    private static ResolvedNodePool Resolve(TopologySpec spec, string name, NodePoolSettings settings, IReadOnlyList<PlacedNode> nodes, IReadOnlyList<PlacedNode> nodesAtMax)
    {
        var pools = spec.Pools.Where(p => TargetOf(spec, p) == name).ToList();
        var types = settings.InstanceTypes.Count > 0
            ? settings.InstanceTypes
            : pools.Select(p => p.InstanceType).Distinct(StringComparer.Ordinal).ToList();
        var families = settings.InstanceFamilies.Count > 0
            ? settings.InstanceFamilies
            : types.Select(FamilyOf).Distinct(StringComparer.Ordinal).ToList();
        return new ResolvedNodePool(name, settings.Role, settings, pools, families, types, nodes.Count, nodes.Sum(n => n.GpuCount))
        {
            NodesAtMax = nodesAtMax.Count,
            NodeGpusAtMax = nodesAtMax.Sum(n => n.GpuCount),
        };
    }

    internal static string NameOf(TopologySpec spec, NodePoolSettings settings) =>
        string.IsNullOrWhiteSpace(settings.Name) ? DefaultName(spec.Name, settings.Role) : settings.Name;

    // The catalog knows the family; an unknown type falls back to the EC2 naming rule (family = text before the dot).
    private static string FamilyOf(string instanceType) =>
        InstanceCatalog.All.TryGetValue(instanceType, out var spec) ? spec.Family : instanceType.Split('.')[0];
}
