namespace DisaggServing.Topology.Placement;

/// <summary>
/// The fault domains of a placement, for topology-level faults: a virtual node (every replica with a pod on it) and a
/// zone (every node in it). A node's zone is one of its NodePool's availability zones, the pool's nodes spread over
/// them in turn as Karpenter spreads them; a NodePool that lists none is in one zone, named by <see cref="AnyZone"/>.
/// </summary>
public static class FaultDomains
{
    /// <summary>The zone of nodes whose NodePool lists no availability zones.</summary>
    public const string AnyZone = "zone-any";

    /// <summary>A node's name as the dashboard shows it: <c>group-node-i</c>.</summary>
    public static string NodeName(TopologyPlacement placement, int node)
    {
        ArgumentNullException.ThrowIfNull(placement);
        return $"{placement.Nodes[node].Group}-node-{node}";
    }

    /// <summary>The replicas with a pod on <paramref name="node"/>.</summary>
    public static IReadOnlyList<string> ReplicasOnNode(TopologyPlacement placement, int node)
    {
        ArgumentNullException.ThrowIfNull(placement);
        return [.. placement.Replicas.Where(r => r.Pods.Any(p => p.Node == node)).Select(r => r.Name)];
    }

    /// <summary>The zone of <paramref name="node"/>.</summary>
    public static string ZoneOf(TopologySpec spec, TopologyPlacement placement, int node)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(placement);
        var group = placement.Nodes[node].Group;
        var zones = spec.Eks.NodePools.FirstOrDefault(n => NodePools.NameOf(spec, n) == group)?.AvailabilityZones ?? [];
        if (zones.Count == 0) return AnyZone;
        var ordinal = placement.Nodes.Take(node).Count(n => n.Group == group);
        return zones[ordinal % zones.Count];
    }

    /// <summary>The replicas with a pod in <paramref name="zone"/>.</summary>
    public static IReadOnlyList<string> ReplicasInZone(TopologySpec spec, TopologyPlacement placement, string zone)
    {
        ArgumentNullException.ThrowIfNull(placement);
        var nodes = Enumerable.Range(0, placement.Nodes.Count).Where(n => ZoneOf(spec, placement, n) == zone).ToHashSet();
        return [.. placement.Replicas.Where(r => r.Pods.Any(p => nodes.Contains(p.Node))).Select(r => r.Name)];
    }
}
