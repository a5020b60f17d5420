namespace DisaggServing.Topology.Preflight.Rules;

/// <summary>The model, instance type, GPU and dtypes a pool names must be in the catalog.</summary>
internal sealed class CatalogRule : PreflightRule
{
    public override string Id => "catalog";

    public override string Description => "Every pool's model, instance type, GPU and dtypes are known.";

    public override IEnumerable<PreflightFinding> Evaluate(PreflightContext context)
    {
        foreach (var pool in context.Spec.Pools)
        {
            if (ResolvedPool.LookUpError(pool) is { } error)
                yield return Error(pool.Name, error, "Use one of the ids the message lists, or add the entry to the engine catalog.");
        }
    }
}
