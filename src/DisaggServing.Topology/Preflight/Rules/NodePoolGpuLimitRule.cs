namespace DisaggServing.Topology.Preflight.Rules;

/// <summary>Karpenter stops launching nodes at the NodePool's limit; pods beyond it stay Pending.</summary>
internal sealed class NodePoolGpuLimitRule : PreflightRule
{
    public override string Id => "nodepool-gpu-limit";

    public override string Description => "A NodePool's nvidia.com/gpu limit covers what its pools request, counted in whole nodes, and leaves room for their autoscaling maximum.";

    public override IEnumerable<PreflightFinding> Evaluate(PreflightContext context)
    {
        foreach (var nodePool in context.NodePools)
        {
            if (nodePool.GpuLimit is not { } limit) continue; // no pools and no limit set: written without limits
            if (limit < nodePool.GpusNeeded)
                yield return Error(nodePool.Name, $"NodePool '{nodePool.Name}' limits nvidia.com/gpu to {limit}, but its pools need {nodePool.GpusNeeded} ({nodePool.Nodes} whole node(s) for {nodePool.GpusRequested} GPUs requested; Karpenter counts a node's whole capacity).",
                    $"Raise GpuLimit to at least {nodePool.GpusNeeded}, or 0 to follow the pools.");
            else if (limit < nodePool.GpusNeededAtMax)
                yield return Warning(nodePool.Name, $"NodePool '{nodePool.Name}' limits nvidia.com/gpu to {limit}, but its autoscaled pools at their maximum need {nodePool.GpusNeededAtMax} ({nodePool.NodesAtMax} whole node(s)); the autoscaler's last replicas would stay Pending.",
                    $"Raise GpuLimit to at least {nodePool.GpusNeededAtMax}, or 0 to follow the pools, or lower Autoscaling:MaxReplicas.");
        }
    }
}
