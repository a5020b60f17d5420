namespace DisaggServing.Topology.Preflight.Rules;

/// <summary>
/// NixlConnector maps decode ranks onto prefill ranks by a whole ratio in either direction: decode TP a multiple of
/// prefill TP, or prefill TP a multiple of decode TP (vLLM's <c>TpKVTopology.tp_ratio</c> asserts it, for every model).
/// </summary>
internal sealed class NixlTpRatioRule : PreflightRule
{
    public override string Id => "nixl-tp-ratio";

    public override string Description => "Under NIXL, the larger of prefill and decode TP is a whole multiple of the smaller.";

    public override IEnumerable<PreflightFinding> Evaluate(PreflightContext context)
    {
        foreach (var d in context.PoolsOf(PoolRole.Decode))
        {
            foreach (var p in context.PoolsOf(PoolRole.Prefill))
            {
                if (p.TensorParallel < 1 || d.TensorParallel < 1) continue;
                var (large, small) = (Math.Max(p.TensorParallel, d.TensorParallel), Math.Min(p.TensorParallel, d.TensorParallel));
                if (large % small == 0) continue;
                yield return Error(d.Name, $"decode TP={d.TensorParallel} and prefill pool '{p.Name}' TP={p.TensorParallel} are not whole multiples of each other; NIXL maps decode ranks onto prefill ranks by a whole ratio.",
                    $"Use a decode TP that is a multiple or a divisor of {p.TensorParallel}.");
            }
        }
    }
}
