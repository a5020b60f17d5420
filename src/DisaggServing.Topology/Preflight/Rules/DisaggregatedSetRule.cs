namespace DisaggServing.Topology.Preflight.Rules;

/// <summary>A DisaggregatedSet holds 2 to 10 roles; here, the prefill and decode pools.</summary>
internal sealed class DisaggregatedSetRule : PreflightRule
{
    public override string Id => "disaggregated-set";

    public override string Description => "A DisaggregatedSet is asked for only with prefill and decode pools, at most 10 of them.";

    public override IEnumerable<PreflightFinding> Evaluate(PreflightContext context)
    {
        var spec = context.Spec;
        if (!spec.Eks.DisaggregatedSet) yield break;
        var roles = spec.Pools.Count(p => p.Role != PoolRole.Both);
        if (!spec.IsDisaggregated)
            yield return Error(null, "Eks:DisaggregatedSet is on but the topology does not have both prefill and decode pools.", "Add prefill and decode pools, or turn Eks:DisaggregatedSet off.");
        else if (roles > 10)
            yield return Error(null, $"a DisaggregatedSet holds at most 10 roles; the topology has {roles} prefill and decode pools.", "Merge pools, or turn Eks:DisaggregatedSet off.");
        foreach (var pool in spec.Pools.Where(p => p.Role == PoolRole.Both))
            yield return Warning(pool.Name, "Role=Both pools are not part of the DisaggregatedSet; this one is written as its own workload.", "Make it a prefill or decode pool, or accept a separate workload.");
    }
}
