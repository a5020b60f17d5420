namespace DisaggServing.Topology.Preflight.Rules;

/// <summary>A pod's TP GPUs share one node's NVLink; a replica spans nodes only by pipeline stages.</summary>
internal sealed class PodFitsNodeRule : PreflightRule
{
    public override string Id => "pod-fits-node";

    public override string Description => "A pod's GPUs (TP) fit on one node of the pool's instance type.";

    public override IEnumerable<PreflightFinding> Evaluate(PreflightContext context)
    {
        foreach (var resolved in context.ResolvedPools)
        {
            var (pool, instance) = (resolved.Pool, resolved.Instance);
            if (pool.TensorParallel > instance.GpuCount)
            {
                var pp = pool.TensorParallel * pool.PipelineParallel / instance.GpuCount;
                yield return Error(pool.Name, $"a pod needs TP={pool.TensorParallel} GPUs but {instance.Id} has {instance.GpuCount}; TP must stay inside one node's NVLink.",
                    $"Use TP={instance.GpuCount} with PP={Math.Max(2, pp)} (one pod per node, a LeaderWorkerSet group), or a larger instance.");
            }
        }
    }
}
