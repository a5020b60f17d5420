namespace DisaggServing.Topology.Preflight.Rules;

/// <summary>Karpenter stops launching nodes at the NodePool's limit; pods beyond it stay Pending.</summary>
internal sealed class NodePoolGpuLimitRule : PreflightRule
{
    public override string Id => "nodepool-gpu-limit";

    public override string Description => "A NodePool's nvidia.com/gpu limit covers what its pools request, counted in whole nodes.";

    public override IEnumerable<PreflightFinding> Evaluate(PreflightContext context)
    {
        foreach (var nodePool in context.NodePools)
        {
            if (nodePool.GpuLimit < nodePool.GpusNeeded)
                yield return Error(nodePool.Name, $"NodePool '{nodePool.Name}' limits nvidia.com/gpu to {nodePool.GpuLimit}, but its pools need {nodePool.GpusNeeded} ({nodePool.Nodes} whole node(s) for {nodePool.GpusRequested} GPUs requested; Karpenter counts a node's whole capacity).",
                    $"Raise GpuLimit to at least {nodePool.GpusNeeded}, or 0 to follow the pools.");
        }
    }
}
