using DisaggServing.Engine.Catalog;

namespace DisaggServing.Topology.Preflight.Rules;

/// <summary>vLLM shards attention heads evenly across TP ranks (and KV heads, or replicates them when TP exceeds them).</summary>
internal sealed class TpDividesHeadsRule : PreflightRule
{
    public override string Id => "tp-divides-heads";

    public override string Description => "TP divides the model's attention heads, and for GQA divides or is a multiple of its KV heads (Gemma 4's full layers' too).";

    public override IEnumerable<PreflightFinding> Evaluate(PreflightContext context)
    {
        foreach (var resolved in context.ResolvedPools)
        {
            var (pool, model) = (resolved.Pool, resolved.Model);
            if (pool.TensorParallel < 1) continue;
            var divisors = string.Join(", ", Enumerable.Range(1, 8).Where(d => model.Heads % d == 0));
            if (model.Heads % pool.TensorParallel != 0)
                yield return Error(pool.Name, $"TP={pool.TensorParallel} does not divide the {model.Heads} attention heads of {model.Id}.", $"Use a TP that divides {model.Heads} ({divisors}).");
            else if (model.Attention == AttentionKind.Gqa && model.KvHeads % pool.TensorParallel != 0 && pool.TensorParallel % model.KvHeads != 0)
                yield return Error(pool.Name, $"TP={pool.TensorParallel} and the {model.KvHeads} KV heads of {model.Id} do not divide one another.", $"Use a TP that divides {model.KvHeads} or is a multiple of it.");
            else if (model.GlobalAttention is { } global && global.KvHeads % pool.TensorParallel != 0 && pool.TensorParallel % global.KvHeads != 0)
                yield return Error(pool.Name, $"TP={pool.TensorParallel} and the {global.KvHeads} KV heads of {model.Id}'s full-attention layers do not divide one another.", $"Use a TP that divides {global.KvHeads} or is a multiple of it.");
        }
    }
}
