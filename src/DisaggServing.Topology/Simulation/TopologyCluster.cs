using DisaggServing.Engine;
using DisaggServing.Engine.Performance;
using DisaggServing.Engine.Simulation;
using DisaggServing.Scheduling.Configuration;

namespace DisaggServing.Topology.Simulation;

/// <summary>
/// The cluster a topology deploys, as the simulator runs it: each pool's engine from its settings, each replica on
/// the node the topology's EKS placement gives it (so KV between replicas of one node moves over NVLink), and the router's
/// scheduling: its scorer weights and its decode-only threshold.
/// </summary>
public static class TopologyCluster
{
    /// <summary>
    /// The cluster of <paramref name="topology"/>: one prefill and one decode pool, or one colocated pool, each at its
    /// <see cref="TopologyPool.Replicas"/>; an <see cref="InputException"/> naming the pool otherwise. Its engines are
    /// modelled as <paramref name="engine"/> (default: the topology's <see cref="EngineSettings.ServingEngine"/>) with
    /// the fitted constants of <paramref name="profile"/> (default: <see cref="LocalSettings.Profile"/>, if set), as
    /// <paramref name="release"/> ran (default: <see cref="EngineSettings.ModelledRelease"/>); each pool's MaxNumSeqs and
    /// MaxNumBatchedTokens are its own, as its engines are launched with them.
    /// </summary>
    public static ClusterSpec From(ResolvedTopology topology, ServingEngine? engine = null, string? profile = null, EngineRelease? release = null)
    {
        ArgumentNullException.ThrowIfNull(topology);
        var spec = topology.Spec;
        var serving = engine is { } chosen ? EngineProfiles.For(chosen) : spec.Engine.ServingProfile();
        var profilePath = profile ?? (string.IsNullOrWhiteSpace(spec.Local.Profile) ? null : spec.Local.Profile.Trim());
        if (spec.Pools.Count == 0) throw new InputException($"Topology '{spec.Name}' has no pools to simulate.");
        foreach (var role in new[] { PoolRole.Prefill, PoolRole.Decode, PoolRole.Both })
        {
            var count = spec.Pools.Count(p => p.Role == role);
            if (count > 1)
                throw new InputException($"Topology '{spec.Name}' has {count} {role.ToString().ToLowerInvariant()} pools; the simulator runs one pool per role (merge them, or simulate each).");
        }
        if (spec.Pools.Any(p => p.Role == PoolRole.Both) && spec.Pools.Any(p => p.Role != PoolRole.Both))
            throw new InputException($"Topology '{spec.Name}' mixes a colocated (Both) pool with prefill/decode pools; the simulator runs one layout.");

        PoolSpec? Pool(PoolRole role)
        {
            if (spec.Pools.FirstOrDefault(p => p.Role == role) is not { } pool) return null;
            var resolved = ResolvedPool.Resolve(pool);
            // Where the pods run on EKS: with per-role NodePools, prefill and decode never share a node.
            var nodes = topology.Placement.ForPool(pool.Name).Select(r => r.Node).ToList();
            return new PoolSpec(EngineSpecOf(resolved, serving, release ?? spec.Engine.ModelledRelease(serving), profilePath), pool.Replicas) { Nodes = nodes };
        }

        var colocated = Pool(PoolRole.Both);
        var first = spec.Pools[0];
        return new ClusterSpec
        {
            Prefill = colocated is null ? Pool(PoolRole.Prefill) : null,
            Decode = colocated is null ? Pool(PoolRole.Decode) : null,
            Colocated = colocated,
            DecodeOnlyThresholdTokens = spec.Router.DecodeOnlyThresholdTokens,
            Routing = spec.Router.Scorers?.ToProfiles() ?? RoutingProfiles.PrefixAware,
            InstanceType = ResolvedPool.Resolve(first).Instance,
            Admission = serving.Admission,
        }.Validate();
    }

    private static EngineSpec EngineSpecOf(ResolvedPool resolved, EngineProfile serving, EngineRelease? release, string? profile)
    {
        try
        {
            var engine = resolved.ModelledAs(serving, release);
            return (profile is null ? engine : ProfileFile.Apply(engine, profile)).Validate();
        }
        catch (InputException e)
        {
            throw new InputException($"pool '{resolved.Pool.Name}': {e.Message}", e);
        }
    }
}
