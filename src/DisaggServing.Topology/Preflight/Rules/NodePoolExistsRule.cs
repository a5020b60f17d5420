namespace DisaggServing.Topology.Preflight.Rules;

/// <summary>A pool that names its NodePool must name one the topology writes.</summary>
internal sealed class NodePoolExistsRule : PreflightRule
{
    public override string Id => "nodepool-exists";

    public override string Description => "Every pool targets a NodePool the topology defines.";

    public override IEnumerable<PreflightFinding> Evaluate(PreflightContext context)
    {
        if (!context.OnGpus) yield break;
        foreach (var pool in context.Spec.Pools)
        {
            var target = NodePools.TargetOf(context.Spec, pool);
            if (context.NodePool(target) is null)
                yield return Error(pool.Name, $"the pool targets NodePool '{target}', which the topology does not define; its pods would stay Pending.",
                    $"List '{target}' under Eks:NodePools, or clear the pool's NodePool to use its role's ({string.Join(", ", context.NodePools.Select(n => n.Name))}).");
        }
    }
}
