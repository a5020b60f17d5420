namespace DisaggServing.Topology.Preflight.Rules;

/// <summary>
/// Each NIXL engine listens on its side-channel port plus its TP rank. With pod networking every pod has its own
/// address; on the host network, engines on one node must not share ports.
/// </summary>
internal sealed class SideChannelPortsRule : PreflightRule
{
    public override string Id => "side-channel-ports";

    public override string Description => "NIXL side-channel port ranges do not overlap on one node when engines share the node's address (host network).";

    public override IEnumerable<PreflightFinding> Evaluate(PreflightContext context)
    {
        var spec = context.Spec;
        if (!spec.Eks.HostNetwork || !spec.IsDisaggregated) yield break;
        var reported = new HashSet<string>();
        foreach (var node in context.Placement.Nodes)
        {
            var ranges = context.Placement.PodsOn(node.Index)
                .Select(x => spec.FindPool(x.Replica.Pool)!)
                .Where(p => p.Role != PoolRole.Both)
                .Select(p => (Pool: p, First: Port(spec, p), Last: Port(spec, p) + p.TensorParallel - 1))
                .ToList();
            for (var i = 0; i < ranges.Count; i++)
            {
                for (var j = i + 1; j < ranges.Count; j++)
                {
                    var (a, b) = (ranges[i], ranges[j]);
                    if (a.First > b.Last || b.First > a.Last || !reported.Add(b.Pool.Name)) continue;
                    var who = a.Pool == b.Pool ? "two of its pods" : $"it and pool '{a.Pool.Name}'";
                    yield return Error(b.Pool.Name, $"on the host network, {who} share node {node.Index} and NIXL side-channel ports {Math.Max(a.First, b.First)}–{Math.Min(a.Last, b.Last)}.",
                        "Turn Eks:HostNetwork off (each pod gets its own address), or give pools on one node SideChannelPort values TP apart and one pod per node.");
                }
            }
        }
    }

    private static int Port(TopologySpec spec, TopologyPool pool) => pool.SideChannelPort > 0 ? pool.SideChannelPort : spec.KvTransfer.SideChannelPortBase;
}
