using DisaggServing.Topology.Manifests.Crds;

namespace DisaggServing.Topology.Manifests;

/// <summary>One DisaggregatedSet whose roles are the prefill and decode pools, each a LeaderWorkerSet template.</summary>
internal static class DisaggregatedSetBuilder
{
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
