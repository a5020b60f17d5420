using DisaggServing.Engine;
using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Topology.Preflight.Rules;

/// <summary>
/// vLLM's NixlConnector (v0.18.1) moves KV between engines whose pipeline-parallel size is 1: the decode side asserts
/// <c>remote_pp_size == 1</c> in the handshake, and registering a PP engine's KV with NIXL fails
/// (vllm-project/vllm#40674, #22430; pipeline-parallel producers arrived only later, in push mode, #45880). A prefill
/// or decode pool with PP above 1 cannot take part in P/D.
/// </summary>
internal sealed class NixlPipelineParallelRule : PreflightRule
{
    public override string Id => "nixl-pp";

    public override string Description => "Prefill and decode pools run PP=1: vLLM's NixlConnector does not support pipeline parallelism.";

    public override IEnumerable<PreflightFinding> Evaluate(PreflightContext context)
    {
        if (!context.Spec.IsDisaggregated) yield break;
        foreach (var pool in context.Spec.Pools.Where(p => p.Role != PoolRole.Both && p.PipelineParallel > 1))
        {
            var fits = context.Resolve(pool) is { } resolved ? SingleNodeFits(resolved) : [];
            var where = fits.Count > 0
                ? $"Run it on one node with TP only ({string.Join(", ", fits)} hold the model by the memory model)"
                : "Run it on one node with TP only on an instance type whose GPUs hold the model";
            yield return Error(pool.Name,
                $"this {pool.RoleName} pool runs PP={pool.PipelineParallel}, but vLLM's NixlConnector (v0.18.1) supports only PP=1: the decode side asserts the prefill's remote_pp_size == 1 in the NIXL handshake (vllm-project/vllm#40674).",
                $"{where}, or use data/expert parallelism (--data-parallel-size, --enable-expert-parallel) as llm-d's wide-EP guides do; keep PP for colocated (Role=Both) pools.");
        }
    }

    /// <summary>Instance types on which one node at TP = its GPU count holds the pool's model (weights, KV, activations).</summary>
    private static List<string> SingleNodeFits(ResolvedPool resolved)
    {
        var fits = new List<string>();
        foreach (var instance in InstanceCatalog.All.Values.OrderBy(i => i.Id, StringComparer.Ordinal))
        {
            var engine = resolved.Engine with { Gpu = instance.Gpu, TensorParallel = instance.GpuCount, PipelineParallel = 1 };
            try
            {
                if (MemoryModel.Plan(engine.Validate()).Fits) fits.Add($"TP={instance.GpuCount} on {instance.Id}");
            }
            catch (InputException)
            {
                // TP does not divide the heads on this instance: not a candidate.
            }
        }

        return fits;
    }
}
