using DisaggServing.Topology.Manifests;

namespace DisaggServing.Topology.Preflight.Rules;

/// <summary>Pods must tolerate every NoSchedule/NoExecute taint of the NodePool they target, or they never schedule there.</summary>
internal sealed class ToleratesTaintsRule : PreflightRule
{
    public override string Id => "tolerates-taints";

    public override string Description => "Engine pods tolerate the taints of the NodePool they target.";

    public override IEnumerable<PreflightFinding> Evaluate(PreflightContext context)
    {
        foreach (var nodePool in context.NodePools)
        {
            var taints = Taints.OfNodePool(nodePool).Where(t => t.Effect != "PreferNoSchedule").ToList();
            foreach (var pool in nodePool.Pools)
            {
                var tolerations = Taints.OfPool(pool);
                var missing = taints.Where(t => !Taints.Tolerates(tolerations, t)).Select(t => $"{t.Key}={t.Value}:{t.Effect}").ToList();
                if (missing.Count > 0)
                    yield return Error(pool.Name, $"pods target NodePool '{nodePool.Name}' but do not tolerate its taint(s) {string.Join(", ", missing)}; they would stay Pending.",
                        $"Target a NodePool of role {pool.RoleName}, or add the taint(s) to the pool's Tolerations.");
            }
        }
    }
}
