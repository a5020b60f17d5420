namespace DisaggServing.Topology.Preflight.Rules;

/// <summary>Prefill needs a decode pool to hand KV to (and back), serving the same model.</summary>
internal sealed class PdPairsRule : PreflightRule
{
    public override string Id => "pd-pairs";

    public override string Description => "Prefill and decode pools come together and serve the same model.";

    public override IEnumerable<PreflightFinding> Evaluate(PreflightContext context)
    {
        var prefill = context.PoolsOf(PoolRole.Prefill).ToList();
        var decode = context.PoolsOf(PoolRole.Decode).ToList();
        foreach (var pool in prefill.Where(_ => decode.Count == 0))
            yield return Error(pool.Name, "a prefill pool has no decode pool to hand its KV to.", "Add a decode pool, or make this pool Role=Both.");
        foreach (var pool in decode.Where(_ => prefill.Count == 0))
            yield return Warning(pool.Name, "a decode pool has no prefill pool; every request prefills on decode engines.", "Add a prefill pool, or make this pool Role=Both.");
        foreach (var p in prefill)
        {
            foreach (var d in decode.Where(d => !string.Equals(d.Model, p.Model, StringComparison.OrdinalIgnoreCase)))
                yield return Error(d.Name, $"decode pool serves {d.Model} but prefill pool '{p.Name}' serves {p.Model}; KV of one model is useless to another.", "Serve the same model in both roles.");
        }
    }
}
