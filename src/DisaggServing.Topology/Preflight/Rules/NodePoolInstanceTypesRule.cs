using DisaggServing.Engine.Catalog;

namespace DisaggServing.Topology.Preflight.Rules;

/// <summary>Karpenter launches only what a NodePool's requirements allow; a pool on another instance type never gets a node.</summary>
internal sealed class NodePoolInstanceTypesRule : PreflightRule
{
    public override string Id => "nodepool-instance-types";

    public override string Description => "Each pool's instance type is allowed by its NodePool's instance-type and instance-family requirements.";

    public override IEnumerable<PreflightFinding> Evaluate(PreflightContext context)
    {
        foreach (var nodePool in context.NodePools)
        {
            foreach (var pool in nodePool.Pools)
            {
                var family = InstanceCatalog.All.TryGetValue(pool.InstanceType, out var spec) ? spec.Family : pool.InstanceType.Split('.')[0];
                var typeOk = nodePool.InstanceTypes.Count == 0 || nodePool.InstanceTypes.Contains(pool.InstanceType, StringComparer.Ordinal);
                var familyOk = nodePool.InstanceFamilies.Count == 0 || nodePool.InstanceFamilies.Contains(family, StringComparer.Ordinal);
                if (!typeOk || !familyOk)
                    yield return Error(pool.Name, $"NodePool '{nodePool.Name}' allows {Describe(nodePool)}, not {pool.InstanceType}; Karpenter would never launch a node for this pool.",
                        $"Add {pool.InstanceType} (family {family}) to the NodePool's InstanceTypes/InstanceFamilies, or change the pool's InstanceType.");
            }
        }
    }

    private static string Describe(ResolvedNodePool n) =>
        n.InstanceTypes.Count > 0 ? $"instance types {string.Join(", ", n.InstanceTypes)}" : $"instance families {string.Join(", ", n.InstanceFamilies)}";
}
