using DisaggServing.Topology.Placement;

namespace DisaggServing.Topology.Preflight;

/// <summary>A topology and what preflight rules derive from it once: catalog look-ups, NodePools and placement.</summary>
public sealed class PreflightContext
{
    private readonly Dictionary<TopologyPool, ResolvedPool?> resolved = [];

    /// <summary>Resolves <paramref name="spec"/> (its NodePools and placement).</summary>
    public PreflightContext(TopologySpec spec)
        : this(ResolvedTopology.Resolve(spec))
    {
    }

    /// <summary>Checks an already resolved topology.</summary>
    public PreflightContext(ResolvedTopology topology)
    {
        ArgumentNullException.ThrowIfNull(topology);
        Topology = topology;
    }

    /// <summary>The topology checked, resolved once.</summary>
    public ResolvedTopology Topology { get; }

    /// <summary>The topology checked, as written.</summary>
    public TopologySpec Spec => Topology.Spec;

    /// <summary>Its GPU NodePools (none for the Worker engine).</summary>
    public IReadOnlyList<ResolvedNodePool> NodePools => Topology.NodePools;

    /// <summary>Its placement, NodePool by NodePool.</summary>
    public TopologyPlacement Placement => Topology.Placement;

    /// <summary>True when engines run on GPUs (vLLM), so GPU, node and fabric rules apply.</summary>
    public bool OnGpus => Spec.Engine.Kind == EngineKind.Vllm;

    /// <summary>Pools of one role.</summary>
    public IEnumerable<TopologyPool> PoolsOf(PoolRole role) => Spec.Pools.Where(p => p.Role == role);

    /// <summary>The pool's catalog entries, or null when one is unknown (the <c>catalog</c> rule reports it).</summary>
    public ResolvedPool? Resolve(TopologyPool pool)
    {
        if (!resolved.TryGetValue(pool, out var entry))
        {
            entry = ResolvedPool.TryResolve(pool, out _);
            resolved[pool] = entry;
        }

        return entry;
    }

    /// <summary>Pools whose catalog entries resolve, with them.</summary>
    public IEnumerable<ResolvedPool> ResolvedPools => Spec.Pools.Select(Resolve).OfType<ResolvedPool>();

    /// <summary>The NodePool named <paramref name="name"/>, or null.</summary>
    public ResolvedNodePool? NodePool(string name) => NodePools.FirstOrDefault(n => n.Name == name);
}
