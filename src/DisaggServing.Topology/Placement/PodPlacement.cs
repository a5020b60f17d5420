namespace DisaggServing.Topology.Placement;

/// <summary>One pod of a replica: a pipeline stage of TP GPUs on one node.</summary>
/// <param name="Rank">Pipeline rank (LeaderWorkerSet worker index; 0 is the leader).</param>
/// <param name="Node">Index of its node.</param>
/// <param name="Gpus">GPU indices on that node.</param>
/// <param name="SideChannelPort">
/// First NIXL side-channel port when engines share the node's address (local runs, host network): the pool's port
/// plus the first GPU index, so the per-TP-rank port ranges of pods on one node never overlap.
/// </param>
public sealed record PodPlacement(int Rank, int Node, IReadOnlyList<int> Gpus, int SideChannelPort);
