using System.Globalization;

namespace DisaggServing.Topology.Preflight.Rules;

/// <summary>Counts are positive and fractions in range before anything is derived from them.</summary>
internal sealed class SizesRule : PreflightRule
{
    public override string Id => "sizes";

    public override string Description => "TP, PP, replicas and the vLLM limits are positive; gpu-memory-utilization is in (0, 1]; PP does not exceed the layers.";

    public override IEnumerable<PreflightFinding> Evaluate(PreflightContext context)
    {
        foreach (var pool in context.Spec.Pools)
        {
            foreach (var (field, value) in new[]
            {
                ("TensorParallel", pool.TensorParallel), ("PipelineParallel", pool.PipelineParallel), ("Replicas", pool.Replicas),
                ("MaxNumBatchedTokens", pool.MaxNumBatchedTokens), ("MaxNumSeqs", pool.MaxNumSeqs),
            })
            {
                if (value < 1) yield return Error(pool.Name, $"{field} is {value}.", $"Set {field} to 1 or more.");
            }

            if (pool.MaxCudaGraphCaptureSize < 0)
                yield return Error(pool.Name, $"MaxCudaGraphCaptureSize is {pool.MaxCudaGraphCaptureSize}.", "Set MaxCudaGraphCaptureSize to 1 or more, or 0 for vLLM's own.");
            if (pool.GpuMemoryUtilization is <= 0 or > 1)
                yield return Error(pool.Name, string.Create(CultureInfo.InvariantCulture, $"GpuMemoryUtilization is {pool.GpuMemoryUtilization}; vLLM needs a fraction in (0, 1]."), "Set GpuMemoryUtilization to e.g. 0.9.");
            if (context.Resolve(pool) is { } resolved && pool.PipelineParallel > resolved.Model.Layers)
                yield return Error(pool.Name, $"PP={pool.PipelineParallel} exceeds the {resolved.Model.Layers} layers of {resolved.Model.Id}.", "Lower PipelineParallel.");
        }
    }
}
