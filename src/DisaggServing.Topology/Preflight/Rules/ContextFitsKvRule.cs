using DisaggServing.Engine.Performance;

namespace DisaggServing.Topology.Preflight.Rules;

/// <summary>
/// vLLM refuses to start when its KV cache cannot hold one sequence of max-model-len tokens, and when max-model-len
/// exceeds the model's context.
/// </summary>
internal sealed class ContextFitsKvRule : PreflightRule
{
    public override string Id => "context-fits-kv";

    public override string Description => "max-model-len is within the model's context and one sequence of it fits the KV cache.";

    public override IEnumerable<PreflightFinding> Evaluate(PreflightContext context)
    {
        foreach (var resolved in context.ResolvedPools)
        {
            var pool = resolved.Pool;
            if (pool.TensorParallel < 1 || pool.PipelineParallel < 1 || pool.GpuMemoryUtilization is <= 0 or > 1) continue;
            if (pool.MaxModelLen > resolved.Model.MaxContext)
            {
                yield return Error(pool.Name, $"MaxModelLen {pool.MaxModelLen} exceeds the {resolved.Model.MaxContext}-token context of {resolved.Model.Id}.", $"Set MaxModelLen to at most {resolved.Model.MaxContext}, or 0 for the model's own.");
                continue;
            }

            var plan = MemoryModel.Plan(resolved.Engine);
            if (!plan.Fits) continue; // model-fits-memory reports it
            var length = pool.MaxModelLen > 0 ? pool.MaxModelLen : resolved.Model.MaxContext;
            if (plan.KvTokens < length)
                yield return Error(pool.Name, $"the KV cache holds {plan.KvTokens} tokens per replica, fewer than one sequence of {length} tokens{(pool.MaxModelLen > 0 ? "" : " (the model's context, as MaxModelLen is unset)")}; vLLM will not start.",
                    $"Set MaxModelLen to at most {plan.KvTokens}, or raise TP/PP or GpuMemoryUtilization.");
        }
    }
}
