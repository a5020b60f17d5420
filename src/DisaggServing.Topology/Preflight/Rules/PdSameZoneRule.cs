namespace DisaggServing.Topology.Preflight.Rules;

/// <summary>EFA traffic stays inside one availability zone; P and D allowed into different zones cannot move KV over it.</summary>
internal sealed class PdSameZoneRule : PreflightRule
{
    public override string Id => "pd-same-zone";

    public override string Description => "Prefill and decode pods that move KV over EFA are kept in one availability zone.";

    public override IEnumerable<PreflightFinding> Evaluate(PreflightContext context)
    {
        var spec = context.Spec;
        if (!context.OnGpus || !spec.IsDisaggregated || spec.Eks.SameZone || !context.Placement.KvCrossesNodes) yield break;
        var zones = context.NodePools
            .Where(n => n.Role is PoolRole.Prefill or PoolRole.Decode && n.Pools.Count > 0)
            .Select(n => n.Settings.AvailabilityZones)
            .ToList();
        var pinned = zones.All(z => z.Count == 1) && zones.Select(z => z[0]).Distinct(StringComparer.Ordinal).Count() == 1;
        if (pinned) yield break;
        foreach (var pool in context.PoolsOf(PoolRole.Decode))
            yield return Error(pool.Name, "prefill and decode pods may land in different availability zones, where EFA cannot carry their KV.",
                "Set Eks:SameZone to true (zone pod affinity), or pin the prefill and decode NodePools to the same single zone.");
    }
}
