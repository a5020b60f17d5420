namespace DisaggServing.Topology.Preflight.Rules;

/// <summary>
/// NIXL's handshake compares a compatibility hash that includes the vLLM version (vLLM's NixlConnector compatibility
/// notes), so prefill and decode engines run one image.
/// </summary>
internal sealed class PdSameImageRule : PreflightRule
{
    public override string Id => "pd-same-image";

    public override string Description => "Prefill and decode pools run the same engine image (NIXL's handshake compares vLLM versions).";

    public override IEnumerable<PreflightFinding> Evaluate(PreflightContext context)
    {
        var spec = context.Spec;
        if (!context.OnGpus || !spec.IsDisaggregated) yield break;
        var crosses = context.Placement.KvCrossesNodes;
        var images = spec.Pools.Where(p => p.Role != PoolRole.Both)
            .Select(p => (Pool: p, Image: EngineImage.For(spec, p, crosses)))
            .ToList();
        var first = images[0];
        foreach (var (pool, image) in images.Skip(1).Where(i => !string.Equals(i.Image, first.Image, StringComparison.Ordinal)))
            yield return Warning(pool.Name, $"this pool runs {image} but pool '{first.Pool.Name}' runs {first.Image}; NIXL refuses a prefill/decode pair whose vLLM versions differ.",
                "Give prefill and decode pools one image (Pools:N:Image, Engine:EfaImage or Engine:VllmVersion).");
    }
}
