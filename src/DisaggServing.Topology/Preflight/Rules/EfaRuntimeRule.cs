namespace DisaggServing.Topology.Preflight.Rules;

/// <summary>
/// Pods that talk across nodes over EFA need its user-space runtime in the image: libfabric with the EFA provider (for
/// NIXL's LIBFABRIC backend) and aws-ofi-nccl (NCCL's EFA transport). The stock <c>vllm/vllm-openai</c> image has
/// neither: NIXL's LIBFABRIC backend cannot load, and NCCL falls back to TCP sockets.
/// </summary>
internal sealed class EfaRuntimeRule : PreflightRule
{
    public override string Id => "efa-runtime";

    public override string Description => "vLLM pods that talk across nodes run an image with the EFA runtime (libfabric, aws-ofi-nccl), not the stock vllm/vllm-openai.";

    public override IEnumerable<PreflightFinding> Evaluate(PreflightContext context)
    {
        if (!context.OnGpus) yield break;
        var spec = context.Spec;
        var crosses = context.Placement.KvCrossesNodes;
        foreach (var pool in spec.Pools.Where(p => EngineImage.TalksAcrossNodes(spec, p, crosses)))
        {
            var image = EngineImage.For(spec, pool, crosses);
            if (!EngineImage.IsStockVllm(image)) continue;
            var fix = string.IsNullOrWhiteSpace(pool.Image)
                ? "Set Engine:EfaImage to an image built with the EFA installer, or leave it empty for AWS Deep Learning Containers' vLLM image of Engine:VllmVersion's minor line."
                : "This pool names its Image: clear it (Pools:N:Image=) to run the EFA image (Engine:EfaImage, by default AWS Deep Learning Containers' vLLM image), or name an image built with the EFA installer.";
            if (EngineImage.MovesKv(spec, pool) && crosses && spec.KvTransfer.NixlBackend == NixlBackend.Libfabric)
                yield return Error(pool.Name, $"this pool moves KV to other nodes with NIXL's LIBFABRIC backend, but its image {image} has no libfabric EFA provider, so the backend cannot load.", fix);
            else
                yield return Warning(pool.Name, $"this pool's pipeline stages talk over EFA, but its image {image} has no aws-ofi-nccl: NCCL falls back to TCP sockets (NET/Socket) instead of EFA (NET/OFI).", fix);
        }
    }
}
