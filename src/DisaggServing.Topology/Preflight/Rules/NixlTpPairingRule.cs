using DisaggServing.Engine.Catalog;

namespace DisaggServing.Topology.Preflight.Rules;

/// <summary>
/// vLLM's NixlConnector lets each decode rank read the KV-head shard it owns from one prefill rank; a decode TP
/// smaller than the prefill TP would need one decode rank to gather shards from several prefill ranks, which it
/// rejects for sharded (GQA) KV. MLA's latent KV is replicated on every rank, so any pairing works.
/// </summary>
internal sealed class NixlTpPairingRule : PreflightRule
{
    public override string Id => "nixl-tp-pairing";

    public override string Description => "Under NIXL, decode TP ≥ prefill TP for models whose KV is sharded by TP (GQA); MLA models may pair freely.";

    public override IEnumerable<PreflightFinding> Evaluate(PreflightContext context)
    {
        foreach (var d in context.PoolsOf(PoolRole.Decode))
        {
            foreach (var p in context.PoolsOf(PoolRole.Prefill))
            {
                if (context.Resolve(p) is not { } resolved || resolved.Model.Attention == AttentionKind.Mla) continue;
                if (p.TensorParallel <= d.TensorParallel) continue;
                var seed = p.TensorParallel == 4 && d.TensorParallel == 2
                    ? " This is the seed's TP=4 prefill → TP=2 decode split: invalid for GQA models such as this one (it works only for MLA models such as DeepSeek-V3 or GLM-5)."
                    : "";
                yield return Error(d.Name,
                    $"prefill pool '{p.Name}' runs TP={p.TensorParallel} but this decode pool runs TP={d.TensorParallel}; {resolved.Model.Id} uses GQA, whose KV heads are sharded by TP, and NIXL cannot gather one decode rank's heads from several prefill ranks.{seed}",
                    $"Give decode a TP of at least {p.TensorParallel} (a multiple of it, e.g. TP={p.TensorParallel}), or lower prefill TP to {d.TensorParallel}.");
            }
        }
    }
}
