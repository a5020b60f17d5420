using DisaggServing.Engine.Catalog;

namespace DisaggServing.Topology.Preflight.Rules;

/// <summary>NixlConnector maps decode ranks onto prefill ranks by the ratio decode TP / prefill TP, which must be whole.</summary>
internal sealed class NixlTpRatioRule : PreflightRule
{
    public override string Id => "nixl-tp-ratio";

    public override string Description => "Under NIXL, decode TP is a whole multiple of prefill TP for GQA models.";

    public override IEnumerable<PreflightFinding> Evaluate(PreflightContext context)
    {
        foreach (var d in context.PoolsOf(PoolRole.Decode))
        {
            foreach (var p in context.PoolsOf(PoolRole.Prefill))
            {
                if (context.Resolve(p) is not { } resolved || resolved.Model.Attention == AttentionKind.Mla) continue;
                if (p.TensorParallel < 1 || d.TensorParallel <= p.TensorParallel || d.TensorParallel % p.TensorParallel == 0) continue;
                yield return Error(d.Name, $"decode TP={d.TensorParallel} is not a multiple of prefill pool '{p.Name}' TP={p.TensorParallel}; NIXL maps decode ranks onto prefill ranks by a whole ratio.",
                    $"Use a decode TP that is a multiple of {p.TensorParallel}.");
            }
        }
    }
}
