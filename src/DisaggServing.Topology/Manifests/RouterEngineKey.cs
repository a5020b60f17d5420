using k8s.Models;

namespace DisaggServing.Topology.Manifests;

/// <summary>
/// vLLM engines read <c>VLLM_API_KEY</c> from <see cref="EngineSettings.ApiKeySecret"/>; once that Secret exists they
/// refuse <c>/v1</c> calls without the key, so the router sends the same key (<c>Router__WorkerApiKey</c>, optional
/// like the engines', so both are unset until the Secret is created).
/// </summary>
internal static class RouterEngineKey
{
    /// <summary>The router's setting for the bearer key it sends to engines.</summary>
    public const string Env = "Router__WorkerApiKey";

    /// <summary>Adds the key to the router's container unless it is set already or engines have no key.</summary>
    public static void Apply(ManifestContext context, V1Deployment router)
    {
        var engine = context.Spec.Engine;
        if (!context.OnGpus || string.IsNullOrWhiteSpace(engine.ApiKeySecret)) return;
        var container = router.Spec.Template.Spec.Containers[0];
        container.Env ??= [];
        if (container.Env.Any(e => e.Name == Env)) return;
        container.Env.Add(EngineEnv.SecretRef(Env, engine.ApiKeySecret, engine.ApiKeySecretKey));
    }
}
