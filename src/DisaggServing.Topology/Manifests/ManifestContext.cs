using DisaggServing.Topology.Placement;

namespace DisaggServing.Topology.Manifests;

/// <summary>What the builders derive from a topology once.</summary>
internal sealed class ManifestContext
{
    public ManifestContext(TopologySpec spec)
        : this(ResolvedTopology.Resolve(spec))
    {
    }

    public ManifestContext(ResolvedTopology topology)
    {
        Topology = topology;
    }

    /// <summary>The topology, resolved once.</summary>
    public ResolvedTopology Topology { get; }

    public TopologySpec Spec => Topology.Spec;

    public IReadOnlyList<ResolvedNodePool> NodePools => Topology.NodePools;

    public TopologyPlacement Placement => Topology.Placement;




    public bool OnGpus => Spec.Engine.Kind == EngineKind.Vllm;

    /// <summary>True when the pool's engines move KV to or from engines on other nodes.</summary>
    public bool MovesKv(TopologyPool pool) => EngineImage.MovesKv(Spec, pool);

    /// <summary>True when the pool's pods talk to pods on other nodes: pipeline stages, or KV over EFA.</summary>
    public bool TalksAcrossNodes(TopologyPool pool) => EngineImage.TalksAcrossNodes(Spec, pool, Placement.KvCrossesNodes);

    /// <summary>True when the pool's pods are vLLM pods that use EFA (devices, hugepages, IPC_LOCK, the EFA runtime image).</summary>
    public bool UsesEfa(TopologyPool pool) => OnGpus && TalksAcrossNodes(pool);

    /// <summary>The pool's NIXL side-channel port in its pods.</summary>
    public int SideChannelPort(TopologyPool pool) => pool.SideChannelPort > 0 ? pool.SideChannelPort : Spec.KvTransfer.SideChannelPortBase;

    /// <summary>
    /// The pool's engine image: its own, else on GPUs the EFA image for vLLM pods that talk across nodes or the stock
    /// one, else our Worker image from <see cref="EksSettings.Registry"/>.
    /// </summary>
    public string Image(TopologyPool pool) =>
        !string.IsNullOrWhiteSpace(pool.Image) || OnGpus ? EngineImage.For(Spec, pool, Placement.KvCrossesNodes) : OwnImage(Spec.Engine.WorkerImage);

    /// <summary>
    /// One of our images (router, KV-transfer, worker) as the cluster pulls it: <see cref="EksSettings.Registry"/> in
    /// front, unless the name already starts with a registry host (a first component with a dot or port, or localhost).
    /// </summary>
    public string OwnImage(string image)
    {
        var registry = Spec.Eks.Registry.Trim().TrimEnd('/');
        if (registry.Length == 0) return image;
        var slash = image.IndexOf('/', StringComparison.Ordinal);
        var first = slash < 0 ? "" : image[..slash];
        return first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost" ? image : $"{registry}/{image}";
    }

    /// <summary>The NodeClass (Auto Mode) or EC2NodeClass (Karpenter) the GPU NodePools reference.</summary>
    public string NodeClassName => Spec.Eks.NodeClassNameFor(Spec.Name);

    /// <summary>True when Prometheus may scrape the engines and the KV-transfer service: a pool autoscales, or scraping is asked for.</summary>
    public bool PrometheusScrapes =>
        !string.IsNullOrWhiteSpace(Spec.Eks.Prometheus.Namespace) && (Spec.Eks.Prometheus.Scrape || Spec.Pools.Any(p => p.Autoscales));

    /// <summary>Recommended labels of the pool's objects and pods.</summary>
    public Dictionary<string, string> PoolLabels(TopologyPool pool) =>
        Labels.ForApp(Spec, OnGpus ? "vllm" : "disagg-worker", $"{Spec.Name}-{pool.Name}", pool.Role == PoolRole.Both ? "engine" : pool.RoleName, Image(pool), pool.Role);

    /// <summary>Name of the Service in front of the pool's (leader) pods; LeaderWorkerSet keeps the pool's own name for its pod DNS service.</summary>
    public string ServiceName(TopologyPool pool) => UsesGroups(pool) ? $"{pool.Name}-leader" : pool.Name;

    /// <summary>
    /// True when the pool is written as LeaderWorkerSet groups: PP above 1 on vLLM, every pool with
    /// <c>Eks:LeaderWorkerSet</c>, or any DisaggregatedSet role.
    /// </summary>
    public bool UsesGroups(TopologyPool pool) => (OnGpus && (pool.IsMultiNode || Spec.Eks.LeaderWorkerSet)) || InDisaggregatedSet(pool);

    /// <summary>True when the pool's replicas span several pods (LeaderWorkerSet groups of PP pods).</summary>
    public bool IsMultiPod(TopologyPool pool) => OnGpus && pool.IsMultiNode;

    /// <summary>True when the pool is a role of the topology's DisaggregatedSet.</summary>
    public bool InDisaggregatedSet(TopologyPool pool) => Spec.Eks.DisaggregatedSet && Spec.IsDisaggregated && pool.Role != PoolRole.Both;

    /// <summary>True when the DisaggregatedSet's own placement policy keeps each slice (prefill and decode) in one zone.</summary>
    public bool ZonedBySet(TopologyPool pool) => InDisaggregatedSet(pool) && Spec.Eks.SameZone;

    /// <summary>In-cluster DNS name of a Service of this topology.</summary>
    public string Dns(string service) => $"{service}.{Spec.Namespace}.svc.cluster.local";
}
