using DisaggServing.Topology.Placement;

namespace DisaggServing.Topology;

/// <summary>
/// A topology resolved once: its GPU NodePools and where every replica runs, on EKS and locally. Preflight, the
/// manifest builders and Hosting all read this one object, so placement is planned once per topology, not per reader.
/// Resolve again after changing the spec.
/// </summary>
public sealed class ResolvedTopology
{
    private readonly Lazy<TopologyPlacement> localPlacement;

    private ResolvedTopology(TopologySpec spec)
    {
        Spec = spec;
        Placement = TopologyPlacement.Plan(spec);
        NodePools = Topology.NodePools.Resolve(spec, Placement);
        // Locally prefill and decode may share virtual nodes (KV over NVLink); by default they are kept apart as on EKS.
        localPlacement = new(() => spec.Local.ShareNodesAcrossRoles ? TopologyPlacement.Plan(spec, shareNodesAcrossRoles: true) : Placement);
    }

    /// <summary>The topology as written.</summary>
    public TopologySpec Spec { get; }

    /// <summary>Its GPU NodePools (none for the Worker engine).</summary>
    public IReadOnlyList<ResolvedNodePool> NodePools { get; }

    /// <summary>Where each replica's pods run on EKS: each NodePool on nodes of its own.</summary>
    public TopologyPlacement Placement { get; }

    /// <summary>Where each replica runs locally: <see cref="Placement"/>, or shared nodes with <see cref="LocalSettings.ShareNodesAcrossRoles"/>.</summary>
    public TopologyPlacement LocalPlacement => localPlacement.Value;

    /// <summary>Resolves <paramref name="spec"/>.</summary>
    public static ResolvedTopology Resolve(TopologySpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return new ResolvedTopology(spec);
    }
}
