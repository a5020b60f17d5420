namespace DisaggServing.Topology.Placement;

/// <summary>Where one replica of a pool runs.</summary>
/// <param name="Pool">Pool name.</param>
/// <param name="Role">Pool role.</param>
/// <param name="Replica">Replica index in the pool, from 0.</param>
/// <param name="Pods">Its pods, by pipeline rank.</param>
public sealed record ReplicaPlacement(string Pool, PoolRole Role, int Replica, IReadOnlyList<PodPlacement> Pods)
{
    /// <summary>Replica name, e.g. <c>prefill-0</c> (the local resource name).</summary>
    public string Name => $"{Pool}-{Replica}";

    /// <summary>The leader's node.</summary>
    public int Node => Pods[0].Node;

    /// <summary>The leader's GPU indices.</summary>
    public IReadOnlyList<int> GpuIndices => Pods[0].Gpus;

    /// <summary>Every node the replica touches, in rank order.</summary>
    public IReadOnlyList<int> Nodes => Pods.Select(p => p.Node).Distinct().ToList();
}
