using DisaggServing.Engine.Catalog;

namespace DisaggServing.Topology.Preflight.Rules;

/// <summary>
/// A quantized checkpoint (an FP8 or FP4 model id) runs only in the format it ships in, so a pool's WeightDtype must
/// match it or be left empty; the rule is the CLI's --dtype rule, applied by <see cref="ResolvedPool.Resolve"/>. And
/// vLLM quantizes a BF16 checkpoint on load only to FP8: an integer format (int8, int4) needs a checkpoint in it.
/// </summary>
internal sealed class CheckpointDtypeRule : PreflightRule
{
    public override string Id => "checkpoint-dtype";

    public override string Description => "A pool's WeightDtype is the format its quantized checkpoint ships in.";

    public override IEnumerable<PreflightFinding> Evaluate(PreflightContext context)
    {
        foreach (var pool in context.Spec.Pools)
        {
            // Unknown ids and formats are the catalog rule's; what fails after them is the checkpoint's format.
            // So are the speculation rule's.
            if (ResolvedPool.LookUpError(pool) is not null || ResolvedPool.TryResolve(pool, out var error) is not null
                || error == ResolvedPool.SpeculationError(pool)) continue;
            yield return ModelCatalog.Get(pool.Model).CheckpointDtype is { } shipped
                ? Error(pool.Name, error!, $"Leave WeightDtype empty (the checkpoint implies {shipped.Name()}), or name the model's BF16 checkpoint to run another format.")
                : Error(pool.Name, error!, "Name a checkpoint quantized to that format as the pool's Model ('disagg models' lists them), or set WeightDtype fp8 or bf16.");
        }
    }
}
