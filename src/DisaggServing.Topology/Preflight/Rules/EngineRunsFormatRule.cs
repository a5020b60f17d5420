using DisaggServing.Engine;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Topology.Preflight.Rules;

/// <summary>
/// The serving engine has kernels for the pool's weights and KV format on its GPU (<see cref="Engine.Performance.EngineSpec.UnsupportedFormat"/>):
/// TensorRT-LLM runs FP8 and MXFP4 from Hopper and NVFP4 on Blackwell only, where vLLM serves them weight-only.
/// </summary>
internal sealed class EngineRunsFormatRule : PreflightRule
{
    public override string Id => "engine-format";

    public override string Description => "The serving engine runs the pool's weight and KV formats on its GPU (TensorRT-LLM: FP8 and MXFP4 from Hopper, NVFP4 on Blackwell).";

    public override IEnumerable<PreflightFinding> Evaluate(PreflightContext context)
    {
        // An unknown engine is the serving-engine rule's.
        EngineProfile serving;
        try { serving = context.Spec.Engine.ServingProfile(); }
        catch (InputException) { yield break; }
        foreach (var resolved in context.ResolvedPools)
            if (resolved.ModelledAs(serving).UnsupportedFormat() is { } refusal)
                yield return Error(resolved.Pool.Name, refusal, "Set the pool's WeightDtype (and KvCacheDtype) to a format the engine runs there, or a GPU that has its tensor cores, or Engine:ServingEngine vllm.");
    }
}
