namespace DisaggServing.Topology.Placement;

/// <summary>One node of a placement.</summary>
/// <param name="Index">Node index, unique in the topology, from 0.</param>
/// <param name="Group">The NodePool the node belongs to (<c>shared</c> when roles share nodes).</param>
/// <param name="InstanceType">EC2 instance type.</param>
/// <param name="GpuCount">GPUs on the node.</param>
public sealed record PlacedNode(int Index, string Group, string InstanceType, int GpuCount);
