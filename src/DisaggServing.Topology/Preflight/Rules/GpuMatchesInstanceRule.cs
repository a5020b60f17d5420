namespace DisaggServing.Topology.Preflight.Rules;

/// <summary>A pool that names its GPU must name the one its instance type carries.</summary>
internal sealed class GpuMatchesInstanceRule : PreflightRule
{
    public override string Id => "gpu-matches-instance";

    public override string Description => "A pool's GPU is the GPU of its instance type.";

    public override IEnumerable<PreflightFinding> Evaluate(PreflightContext context)
    {
        foreach (var resolved in context.ResolvedPools)
        {
            if (resolved.Gpu.Id != resolved.Instance.Gpu.Id)
                yield return Error(resolved.Pool.Name, $"GPU {resolved.Gpu.Id} is not the GPU of {resolved.Instance.Id} ({resolved.Instance.Gpu.Id}).", $"Leave Gpu empty, set it to {resolved.Instance.Gpu.Id}, or pick an instance type that carries {resolved.Gpu.Id}.");
        }
    }
}
