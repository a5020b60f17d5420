using System.Globalization;
using DisaggServing.Engine;
using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Topology.Preflight.Rules;

/// <summary>Weights, activations and a step's KV fit in GPU memory at the pool's TP × PP and dtype (the engine's memory model).</summary>
internal sealed class ModelFitsMemoryRule : PreflightRule
{
    private const double GiB = 1024d * 1024 * 1024;

    public override string Id => "model-fits-memory";

    public override string Description => "The model fits GPU memory at the pool's TP × PP, weight dtype and gpu-memory-utilization.";

    public override IEnumerable<PreflightFinding> Evaluate(PreflightContext context)
    {
        foreach (var resolved in context.ResolvedPools)
        {
            var engine = resolved.Engine;
            if (!IsValid(engine) || engine.GpuMemoryUtilization is <= 0 or > 1) continue;
            var plan = MemoryModel.Plan(engine);
            if (plan.Fits) continue;
            var layouts = MemoryModel.FittingLayouts(engine, resolved.Instance.GpuCount).Take(3).Select(l => $"TP={l.Tp} PP={l.Pp}").ToList();
            var pool = resolved.Pool;
            yield return Error(pool.Name,
                string.Create(CultureInfo.InvariantCulture,
                    $"{resolved.Model.Id} ({resolved.WeightDtype.Name()}) does not fit {resolved.Gpu.Id} at TP={pool.TensorParallel} PP={pool.PipelineParallel}: {plan.MissingBytes / GiB:F1} GiB per GPU missing (weights {plan.WeightBytes / GiB:F1} GiB of {plan.UsableBytes / GiB:F1} GiB usable)."),
                (layouts.Count > 0 ? $"Use a layout that fits: {string.Join(", ", layouts)}; or " : "Use ") + (resolved.WeightDtype == DType.Bf16 ? "FP8 weights, or a GPU with more memory." : "a GPU with more memory."));
        }
    }

    private static bool IsValid(EngineSpec engine)
    {
        try
        {
            engine.Validate();
            return true;
        }
        catch (InputException)
        {
            return false; // the sizes and tp-divides-heads rules report it
        }
    }
}
