namespace DisaggServing.Topology;

/// <summary>
/// A whole deployment: engine pools, router, KV transfer and the EKS settings they publish with. Every property is
/// settable with a default so <c>IConfiguration.Bind</c> fills it from a <c>Topology</c> section; lists start empty
/// because the binder appends to lists.
/// </summary>
public sealed class TopologySpec
{
    /// <summary>Topology name: the <c>app.kubernetes.io/part-of</c> label and the manifests folder name.</summary>
    public string Name { get; set; } = "";

    /// <summary>Kubernetes namespace of every namespaced object.</summary>
    public string Namespace { get; set; } = "disagg-serving";

    /// <summary>Engine pools.</summary>
    public List<TopologyPool> Pools { get; set; } = [];

    /// <summary>The engine image choice.</summary>
    public EngineSettings Engine { get; set; } = new();

    /// <summary>The router.</summary>
    public RouterSettings Router { get; set; } = new();

    /// <summary>KV transfer: NIXL settings and the KV-transfer service.</summary>
    public KvTransferSettings KvTransfer { get; set; } = new();

    /// <summary>Node provisioning and placement on EKS.</summary>
    public EksSettings Eks { get; set; } = new();

    /// <summary>Knobs of a local run only (simulated workers); publishing ignores them.</summary>
    public LocalSettings Local { get; set; } = new();

    /// <summary>True when the topology has both prefill and decode pools, so KV moves between engines.</summary>
    public bool IsDisaggregated => Pools.Any(p => p.Role == PoolRole.Prefill) && Pools.Any(p => p.Role == PoolRole.Decode);

    /// <summary>The model the router serves: that of the first decode or colocated pool, else of the first pool; null without pools.</summary>
    public string? ServedModel => (Pools.FirstOrDefault(p => p.Role != PoolRole.Prefill) ?? Pools.FirstOrDefault())?.Model;

    /// <summary>The pool with this name, or null.</summary>
    public TopologyPool? FindPool(string name) => Pools.FirstOrDefault(p => p.Name == name);

    /// <summary>A shallow copy of this topology with <paramref name="pools"/> instead of its pools.</summary>
    internal TopologySpec WithPools(List<TopologyPool> pools)
    {
        var copy = (TopologySpec)MemberwiseClone();
        copy.Pools = pools;
        return copy;
    }
}
