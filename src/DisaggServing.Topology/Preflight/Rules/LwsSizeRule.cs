namespace DisaggServing.Topology.Preflight.Rules;

/// <summary>vLLM's multi-node launch runs one pod per pipeline stage, so a LeaderWorkerSet group holds exactly PP pods.</summary>
internal sealed class LwsSizeRule : PreflightRule
{
    public override string Id => "lws-size";

    public override string Description => "A LeaderWorkerSet group's size equals the pool's PP.";

    public override IEnumerable<PreflightFinding> Evaluate(PreflightContext context)
    {
        foreach (var pool in context.Spec.Pools)
        {
            if (pool.LwsSize > 0 && pool.LwsSize != pool.PipelineParallel)
                yield return Error(pool.Name, $"LeaderWorkerSet size {pool.LwsSize} ≠ PP={pool.PipelineParallel}: vLLM starts one pod per pipeline stage (--nnodes = PP), so the group would hang or leave pods idle.",
                    $"Set LwsSize to {pool.PipelineParallel} or 0 (follow PP).");
        }
    }
}
