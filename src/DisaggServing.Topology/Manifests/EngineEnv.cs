using k8s.Models;

namespace DisaggServing.Topology.Manifests;

/// <summary>Environment of engine containers.</summary>
internal static class EngineEnv
{
    /// <summary>Where the model-cache volume is mounted; HF_HOME points there so downloads land in it.</summary>
    public const string ModelCachePath = "/models";

    /// <summary>The Hugging Face token variable (gated models).</summary>
    public const string HfToken = "HF_TOKEN";

    /// <summary>The key vLLM's OpenAI server requires as <c>Authorization: Bearer</c> on <c>/v1</c>.</summary>
    public const string VllmApiKey = "VLLM_API_KEY";

    /// <summary>
    /// The vLLM container's environment: the pool's own variables (key order), then what the topology implies unless
    /// the pool sets it: NCCL_DEBUG for EFA pods, the model cache, the Hugging Face token and API key from Secrets, and
    /// the NIXL side channel for P/D engines. No NCCL/libfabric tuning: aws-ofi-nccl ≥ 1.7 with libfabric
    /// ≥ 1.18 needs none (its EFA cheatsheet says to leave FI_PROVIDER, FI_EFA_USE_DEVICE_RDMA, NCCL_PROTO and the
    /// channel count unset), and NCCL_ALGO/NCCL_PROTO would override the plugin's tuner.
    /// </summary>
    public static List<V1EnvVar> ForVllm(ManifestContext context, TopologyPool pool)
    {
        var spec = context.Spec;
        var engine = spec.Engine;
        var env = pool.Env.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => Var(e.Key, e.Value)).ToList();
        void Add(V1EnvVar variable)
        {
            if (!pool.Env.ContainsKey(variable.Name)) env.Add(variable);
        }

        if (context.UsesEfa(pool))
        {
            if (!string.IsNullOrWhiteSpace(engine.NcclDebug)) Add(Var("NCCL_DEBUG", engine.NcclDebug));
            // Without hugepages in the pod's cgroup, libfabric's huge-page buffer pool cannot be allocated.
            if (string.IsNullOrWhiteSpace(engine.EfaHugepages)) Add(Var("FI_EFA_USE_HUGE_PAGE", "0"));
        }

        Add(Var("HF_HOME", ModelCachePath));
        if (!string.IsNullOrWhiteSpace(engine.HfTokenSecret)) Add(SecretRef(HfToken, engine.HfTokenSecret, engine.HfTokenSecretKey));
        if (!string.IsNullOrWhiteSpace(engine.ApiKeySecret)) Add(SecretRef(VllmApiKey, engine.ApiKeySecret, engine.ApiKeySecretKey));
        if (context.MovesKv(pool))
        {
            Add(FieldRef("VLLM_NIXL_SIDE_CHANNEL_HOST", "status.podIP"));
            Add(Var("VLLM_NIXL_SIDE_CHANNEL_PORT", Invariant(context.SideChannelPort(pool))));
        }

        return env;
    }

    /// <summary>
    /// Our Worker's contract (<see cref="WorkerEnvironment"/>), as the local run sets it, with the pod's own values: its
    /// name as engine id, its node, its IP as the advertised host, the engine port and the NIXL side-channel port.
    /// </summary>
    public static List<V1EnvVar> ForWorker(ManifestContext context, TopologyPool pool)
    {
        var spec = context.Spec;
        var env = WorkerEnvironment.ForPool(spec, ResolvedPool.Resolve(pool)).Select(e => Var(e.Key, e.Value)).ToList();
        env.Add(FieldRef(WorkerEnvironment.EngineId, "metadata.name"));
        env.Add(FieldRef(WorkerEnvironment.Node, "spec.nodeName"));
        env.Add(FieldRef(WorkerEnvironment.AdvertisedHost, "status.podIP"));
        env.Add(Var(WorkerEnvironment.HttpPort, Invariant(spec.Engine.Port)));
        env.Add(Var(WorkerEnvironment.KvPort, Invariant(context.SideChannelPort(pool))));
        if (spec.KvTransfer.Enabled) env.Add(Var(WorkerEnvironment.KvTransferUrl, $"http://{context.Dns(ControlPlaneBuilder.KvTransferName)}:{spec.KvTransfer.GrpcPort}"));
        env.AddRange(pool.Env.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => Var(e.Key, e.Value)));
        return env;
    }

    public static V1EnvVar Var(string name, string value) => new() { Name = name, Value = value };

    public static V1EnvVar FieldRef(string name, string path) =>
        new() { Name = name, ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = path } } };

    /// <summary>A variable from a Secret's key, never a value in the manifest; when <paramref name="optional"/>, a missing Secret leaves it unset.</summary>
    public static V1EnvVar SecretRef(string name, string secret, string key, bool optional = true) =>
        new() { Name = name, ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = secret.Trim(), Key = key.Trim(), Optional = optional } } };

    public static string Invariant(IFormattable value) => value.ToString(null, System.Globalization.CultureInfo.InvariantCulture);

}
