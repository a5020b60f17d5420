using DisaggServing.Engine.Catalog;

namespace DisaggServing.Topology.Preflight.Rules;

/// <summary>
/// Which prefill/decode TP pairs vLLM's NixlConnector (v0.18.1) accepts beyond the whole ratio (<c>nixl-tp-ratio</c>).
/// Decode TP ≥ prefill TP: each decode rank reads its share of one prefill rank's KV heads. Prefill TP &gt; decode TP
/// (vllm-project/vllm#27274): each decode rank reads from TP_P / TP_D prefill ranks and joins their head shards; MLA's
/// latent KV is the same on every rank, so one read suffices. The handshake rejects P TP &gt; D TP when the prefill's
/// KV heads are replicated, i.e. prefill TP ≥ the model's KV heads (<c>assert not (tp_ratio &lt; 0 and
/// is_kv_replicated(remote))</c>, <c>is_kv_replicated</c> = <c>tp_size // num_kv_heads &gt;= 1</c>).
/// </summary>
internal sealed class NixlTpPairingRule : PreflightRule
{
    public override string Id => "nixl-tp-pairing";

    public override string Description => "Under NIXL, a prefill TP above the decode TP needs a GQA prefill TP below the model's KV heads (vLLM #27274); MLA models pair freely.";

    public override IEnumerable<PreflightFinding> Evaluate(PreflightContext context)
    {
        foreach (var d in context.PoolsOf(PoolRole.Decode))
        {
            foreach (var p in context.PoolsOf(PoolRole.Prefill))
            {
                if (context.Resolve(p) is not { } resolved || resolved.Model.Attention == AttentionKind.Mla) continue;
                if (p.TensorParallel <= d.TensorParallel || p.TensorParallel < resolved.Model.KvHeads) continue;
                yield return Error(d.Name,
                    $"prefill pool '{p.Name}' runs TP={p.TensorParallel} but this decode pool runs TP={d.TensorParallel}; vLLM's NixlConnector (v0.18.1) gathers a decode rank's KV heads from several prefill ranks (vllm-project/vllm#27274), but not when the prefill replicates KV heads: {resolved.Model.Id} has {resolved.Model.KvHeads} KV heads and TP={p.TensorParallel} ≥ {resolved.Model.KvHeads}.",
                    $"Lower prefill TP below {resolved.Model.KvHeads} (a multiple of the decode TP, e.g. TP={Math.Max(d.TensorParallel, resolved.Model.KvHeads / 2)}), or give decode a TP of at least {p.TensorParallel}.");
            }
        }
    }
}
