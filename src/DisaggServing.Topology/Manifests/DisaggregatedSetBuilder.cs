using DisaggServing.Topology.Manifests.Crds;

namespace DisaggServing.Topology.Manifests;

/// <summary>
/// One DisaggregatedSet whose roles are the prefill and decode pools, each a LeaderWorkerSet template. With
/// <c>Eks:SameZone</c> the set's own <c>placementPolicy</c> (<c>ExclusiveSlice</c> on the zone label) keeps each slice's
/// roles, and so every group of them, in one availability zone: the controller injects the affinity, so the pod
/// templates carry none.
/// </summary>
internal static class DisaggregatedSetBuilder
{
    /// <summary>The placement type that co-locates a slice's roles in one topology domain.</summary>
    public const string ExclusiveSlice = "ExclusiveSlice";

    public static DisaggregatedSet Build(ManifestContext context, IReadOnlyList<TopologyPool> pools)
    {
        var spec = context.Spec;
        var image = context.Image(pools[0]);
        var labels = Labels.ForApp(spec, context.OnGpus ? "vllm" : "disagg-worker", $"{spec.Name}-engines", "engines", image);
        return new DisaggregatedSet
        {
            Metadata = EngineWorkloadBuilder.Meta(context, spec.Name, labels),
            Spec = new DisaggregatedSetSpec
            {
                PlacementPolicy = spec.Eks.SameZone ? new DisaggregatedPlacementPolicy { Type = ExclusiveSlice, Topology = EnginePodBuilder.ZoneKey } : null,
                Roles = pools.Select(pool => new DisaggregatedRole
                {
                    Name = pool.Name,
                    Metadata = new DisaggregatedRoleMetadata { Labels = context.PoolLabels(pool) },
                    Spec = EngineWorkloadBuilder.GroupSpec(context, pool),
                }).ToList(),
            },
        };
    }
}
