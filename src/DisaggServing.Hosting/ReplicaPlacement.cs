namespace Aspire.Hosting.ApplicationModel;

/// <summary>Where one replica sits: a virtual node and the GPU indices it uses there.</summary>
/// <param name="Node">Virtual node name, e.g. <c>prefill-node-0</c>.</param>
/// <param name="GpuIndices">GPU indices on that node (the first node's, for multi-node replicas).</param>
public sealed record ReplicaPlacement(string Node, IReadOnlyList<int> GpuIndices)
{
    /// <summary>
    /// Packs <paramref name="replicas"/> replicas of <paramref name="gpusPerReplica"/> GPUs onto nodes of
    /// <paramref name="gpusPerNode"/> GPUs, each role on its own nodes (as per-role NodePools place them on EKS):
    /// on p5.48xlarge, 2 replicas of TP=4 or 4 of TP=2 per node; a replica of 16 GPUs spans 2 whole nodes.
    /// </summary>
    public static IReadOnlyList<ReplicaPlacement> Pack(string pool, int replicas, int gpusPerReplica, int gpusPerNode)
    {
        var placements = new List<ReplicaPlacement>(replicas);
        var perNode = Math.Max(1, gpusPerNode / gpusPerReplica);
        var nodesPerReplica = (gpusPerReplica + gpusPerNode - 1) / gpusPerNode;
        for (var i = 0; i < replicas; i++)
        {
            var node = gpusPerReplica >= gpusPerNode ? i * nodesPerReplica : i / perNode;
            var first = gpusPerReplica >= gpusPerNode ? 0 : i % perNode * gpusPerReplica;
            placements.Add(new ReplicaPlacement($"{pool}-node-{node}", Enumerable.Range(first, Math.Min(gpusPerReplica, gpusPerNode)).ToArray()));
        }
        return placements;
    }
}
