using DisaggServing.Engine;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Topology.Preflight.Rules;

/// <summary>
/// <see cref="EngineSettings.ServingEngine"/> names an engine profile, and one the pods run: vLLM pods modelled as
/// another engine make a simulation (and a plan) describe something else than what is deployed.
/// </summary>
internal sealed class ServingEngineRule : PreflightRule
{
    public override string Id => "serving-engine";

    public override string Description => "Engine:ServingEngine is vllm, sglang or trtllm, and vllm when the pods run vLLM (warning).";

    public override IEnumerable<PreflightFinding> Evaluate(PreflightContext context)
    {
        var engine = context.Spec.Engine;
        ServingEngine serving;
        try { serving = EngineProfiles.Parse(engine.ServingEngine, "Engine:ServingEngine"); }
        catch (InputException e) { return [Error(null, e.Message, "Set Engine:ServingEngine to vllm, sglang or trtllm.")]; }
        return engine.Kind == EngineKind.Vllm && serving != ServingEngine.Vllm
            ? [Warning(null, $"Engine:ServingEngine is {EngineProfiles.Name(serving)}, but the pods run vLLM: simulating the topology models another engine than the one deployed.",
                "Set Engine:ServingEngine to vllm (re-plan with --engine vllm), or keep it for a simulated (Engine:Kind Worker) run.")]
            : [];
    }
}
