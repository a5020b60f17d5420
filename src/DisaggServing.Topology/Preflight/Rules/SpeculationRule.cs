namespace DisaggServing.Topology.Preflight.Rules;

/// <summary>
/// A pool's speculative decoding can run: a known drafter, MTP only on a checkpoint with MTP layers, an EAGLE head
/// named, draft tokens at least 1 and an acceptance length within 1…K + 1 (<see cref="PoolSpeculation.Resolve"/>, the
/// CLI's rule). A prefill pool samples only each request's first token, so speculation there does nothing.
/// </summary>
internal sealed class SpeculationRule : PreflightRule
{
    public override string Id => "speculation";

    public override string Description => "A pool's Speculation can run on its model, and sits on a pool that decodes.";

    public override IEnumerable<PreflightFinding> Evaluate(PreflightContext context)
    {
        foreach (var pool in context.Spec.Pools)
        {
            if (pool.Speculation is not { Enabled: true } || ResolvedPool.LookUpError(pool) is not null) continue;
            if (ResolvedPool.SpeculationError(pool) is { } error)
                yield return Error(pool.Name, error,
                    "Set Speculation:Method to mtp (a checkpoint with MTP layers), eagle or eagle3 (with Speculation:DraftModel) or ngram, NumSpeculativeTokens to 1 or more and AcceptanceLength within 1…NumSpeculativeTokens + 1; or leave Method empty.");
            else if (pool.Role == PoolRole.Prefill)
                yield return Warning(pool.Name, $"Pool '{pool.Name}' prefills only (it samples each request's first token), so its Speculation drafts nothing.",
                    "Move Speculation to the decode pool.");
        }
    }
}
