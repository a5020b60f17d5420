namespace DisaggServing.Topology.Preflight.Rules;

/// <summary>Across EC2 nodes only NIXL's LIBFABRIC backend speaks EFA; UCX falls back to TCP sockets.</summary>
internal sealed class EfaLibfabricRule : PreflightRule
{
    public override string Id => "efa-libfabric";

    public override string Description => "When prefill and decode sit on different nodes (EFA), the NIXL backend is LIBFABRIC.";

    public override IEnumerable<PreflightFinding> Evaluate(PreflightContext context)
    {
        if (!context.OnGpus || !context.Spec.IsDisaggregated || context.Spec.KvTransfer.NixlBackend == NixlBackend.Libfabric) yield break;
        if (!context.Placement.KvCrossesNodes) yield break;
        foreach (var pool in context.PoolsOf(PoolRole.Prefill))
            yield return Error(pool.Name, $"KV moves from this prefill pool to decode on other nodes over EFA, but the NIXL backend is {context.Spec.KvTransfer.NixlBackend.ToString().ToUpperInvariant()}, which has no EFA transport and falls back to TCP.",
                "Set KvTransfer:NixlBackend to Libfabric.");
    }
}
