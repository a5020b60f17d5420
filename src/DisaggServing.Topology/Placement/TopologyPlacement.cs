using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Topology.Placement;

/// <summary>
/// Pools packed onto nodes by GPUs per node: each pod (one pipeline stage of TP GPUs) goes on the first node of its
/// NodePool with enough free GPUs, lowest GPU indices first. On p5.48xlarge that is 2 pods of TP=4 or 4 pods of
/// TP=2 per node, and a PP=2 × TP=8 replica is 2 whole nodes.
/// </summary>
public sealed class TopologyPlacement
{
    /// <summary>The group name of nodes shared by all roles.</summary>
    public const string SharedGroup = "shared";

    private TopologyPlacement(IReadOnlyList<PlacedNode> nodes, IReadOnlyList<ReplicaPlacement> replicas)
    {
        Nodes = nodes;
        Replicas = replicas;
    }

    /// <summary>Every node, by index.</summary>
    public IReadOnlyList<PlacedNode> Nodes { get; }

    /// <summary>Every replica, pool by pool.</summary>
    public IReadOnlyList<ReplicaPlacement> Replicas { get; }

    /// <summary>The replicas of one pool.</summary>
    public IReadOnlyList<ReplicaPlacement> ForPool(string pool) => Replicas.Where(r => r.Pool == pool).ToList();

    /// <summary>Pods on one node.</summary>
    public IEnumerable<(ReplicaPlacement Replica, PodPlacement Pod)> PodsOn(int node) =>
        Replicas.SelectMany(r => r.Pods.Where(p => p.Node == node).Select(p => (r, p)));

    /// <summary>
    /// How KV moves from <paramref name="prefill"/> to <paramref name="decode"/>: NVLink when both sit wholly on the
    /// same node, EFA otherwise.
    /// </summary>
    public static LinkKind LinkBetween(ReplicaPlacement prefill, ReplicaPlacement decode)
    {
        ArgumentNullException.ThrowIfNull(prefill);
        ArgumentNullException.ThrowIfNull(decode);
        return prefill.Nodes.Count == 1 && decode.Nodes.Count == 1 && prefill.Node == decode.Node ? LinkKind.NvLink : LinkKind.Efa;
    }

    /// <summary>True when some prefill and some decode replica of the topology are linked over EFA.</summary>
    public bool KvCrossesNodes =>
        Replicas.Where(r => r.Role == PoolRole.Prefill)
            .Any(p => Replicas.Where(r => r.Role == PoolRole.Decode).Any(d => LinkBetween(p, d) == LinkKind.Efa));

    /// <summary>
    /// Places <paramref name="spec"/>'s pools. By default each NodePool has its own nodes (roles are kept apart by
    /// taints on EKS); <paramref name="shareNodesAcrossRoles"/> packs every pool onto one set of nodes per
    /// instance type (local runs, where prefill and decode may share a node and its NVLink). Pools with an unknown
    /// instance type are left out (preflight reports them).
    /// </summary>
    public static TopologyPlacement Plan(TopologySpec spec, bool shareNodesAcrossRoles = false)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var nodes = new List<PlacedNode>();
        var free = new List<bool[]>();
        var replicas = new List<ReplicaPlacement>();
        foreach (var pool in spec.Pools)
        {
            if (!InstanceCatalog.All.TryGetValue(pool.InstanceType, out var instance)) continue;
            var group = shareNodesAcrossRoles ? SharedGroup : NodePools.TargetOf(spec, pool);
            var basePort = pool.SideChannelPort > 0 ? pool.SideChannelPort : spec.KvTransfer.SideChannelPortBase;
            var podsPerReplica = Math.Max(1, pool.EffectiveLwsSize);
            var gpusPerPod = Math.Max(1, pool.TensorParallel);
            for (var replica = 0; replica < pool.Replicas; replica++)
            {
                var pods = new List<PodPlacement>(podsPerReplica);
                for (var rank = 0; rank < podsPerReplica; rank++)
                {
                    var (node, gpus) = Take(nodes, free, group, instance, gpusPerPod);
                    pods.Add(new PodPlacement(rank, node, gpus, basePort + gpus[0]));
                }

                replicas.Add(new ReplicaPlacement(pool.Name, pool.Role, replica, pods));
            }
        }

        return new TopologyPlacement(nodes, replicas);
    }

    private static (int Node, int[] Gpus) Take(List<PlacedNode> nodes, List<bool[]> free, string group, InstanceTypeSpec instance, int gpus)
    {
        for (var i = 0; i < nodes.Count; i++)
        {
            if (nodes[i].Group != group || nodes[i].InstanceType != instance.Id) continue;
            var available = Enumerable.Range(0, free[i].Length).Where(g => free[i][g]).ToArray();
            if (available.Length < gpus) continue;
            var taken = available[..gpus];
            foreach (var g in taken) free[i][g] = false;
            return (i, taken);
        }

        // A pod larger than a node (preflight rejects it) still gets whole nodes, so the placement stays total.
        var first = nodes.Count;
        for (var n = 0; n < Math.Max(1, (gpus + instance.GpuCount - 1) / instance.GpuCount); n++)
        {
            nodes.Add(new PlacedNode(nodes.Count, group, instance.Id, instance.GpuCount));
            free.Add(Enumerable.Repeat(true, instance.GpuCount).ToArray());
        }

        var left = gpus;
        for (var n = first; n < nodes.Count; n++, left -= instance.GpuCount)
            Array.Fill(free[n], false, 0, Math.Min(left, instance.GpuCount));
        return (first, Enumerable.Range(0, Math.Min(gpus, instance.GpuCount)).ToArray());
    }
}
