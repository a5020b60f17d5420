using DisaggServing.Engine.Catalog;

namespace DisaggServing.Topology.Preflight.Rules;

/// <summary>
/// The model, instance type, GPU and dtypes a pool names must be in the catalog, and the model must be named by the
/// Hugging Face id its engines download: the catalog also takes a name without its organisation and NIM's names, which
/// a vLLM pod could not pull, nor the path of a config.json, which the estimate reads for a model the catalog lacks.
/// </summary>
internal sealed class CatalogRule : PreflightRule
{
    public override string Id => "catalog";

    public override string Description => "Every pool's model, instance type, GPU and dtypes are known.";

    public override IEnumerable<PreflightFinding> Evaluate(PreflightContext context)
    {
        foreach (var pool in context.Spec.Pools)
        {
            if (ResolvedPool.LookUpError(pool) is { } error)
                yield return Error(pool.Name, error, "Use one of the ids the message lists, or add the entry to the engine catalog.");
            else if (HfModelConfig.IsPath(pool.Model.Trim()))
                yield return Error(pool.Name, $"Model '{pool.Model}' is a local config.json, which the estimate reads but a pool's engines cannot download.",
                    "Set Model to the checkpoint's Hugging Face id (add it to the engine catalog where it is missing).");
            else if (ModelCatalog.Get(pool.Model).Id is var id && !string.Equals(id, pool.Model.Trim(), StringComparison.OrdinalIgnoreCase))
                yield return Error(pool.Name, $"Model '{pool.Model}' is not a Hugging Face id its engines can download; it names {id}.", $"Set Model to {id}.");
        }
    }
}
