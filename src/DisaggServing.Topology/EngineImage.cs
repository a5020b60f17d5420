namespace DisaggServing.Topology;

/// <summary>Which image a pool's engine pods run, and whether it carries the EFA runtime.</summary>
internal static class EngineImage
{
    /// <summary>The stock vLLM image repository, which has no libfabric, EFA provider or aws-ofi-nccl.</summary>
    public const string StockVllmRepository = "vllm/vllm-openai";

    /// <summary>True when the pool's pods talk to pods on other nodes: pipeline stages, or KV over EFA.</summary>
    public static bool TalksAcrossNodes(TopologySpec spec, TopologyPool pool, bool kvCrossesNodes) =>
        pool.IsMultiNode || (MovesKv(spec, pool) && kvCrossesNodes);

    /// <summary>True when the pool's engines move KV to or from engines of the other role.</summary>
    public static bool MovesKv(TopologySpec spec, TopologyPool pool) => spec.IsDisaggregated && pool.Role != PoolRole.Both;

    /// <summary>
    /// The pool's image: its own, else the EFA image when vLLM pods talk across nodes (configured, or the DLC tag of
    /// the pinned vLLM version), else the topology's default.
    /// </summary>
    public static string For(TopologySpec spec, TopologyPool pool, bool kvCrossesNodes)
    {
        if (!string.IsNullOrWhiteSpace(pool.Image)) return pool.Image;
        var efa = spec.Engine.Kind == EngineKind.Vllm && TalksAcrossNodes(spec, pool, kvCrossesNodes) ? spec.Engine.EffectiveEfaImage : null;
        return efa ?? spec.Engine.DefaultImage;
    }

    /// <summary>True for the stock <c>vllm/vllm-openai</c> image (any registry prefix of Docker Hub, any tag).</summary>
    public static bool IsStockVllm(string image)
    {
        var repository = image;
        var at = repository.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0) repository = repository[..at];
        var colon = repository.LastIndexOf(':');
        if (colon > repository.LastIndexOf('/')) repository = repository[..colon];
        foreach (var prefix in new[] { "docker.io/", "index.docker.io/", "registry-1.docker.io/" })
        {
            if (repository.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) repository = repository[prefix.Length..];
        }

        return string.Equals(repository, StockVllmRepository, StringComparison.OrdinalIgnoreCase);
    }
}
