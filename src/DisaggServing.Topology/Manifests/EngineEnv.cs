using k8s.Models;

namespace DisaggServing.Topology.Manifests;

/// <summary>Environment of engine containers.</summary>
internal static class EngineEnv
{
    /// <summary>Where the model-cache volume is mounted; HF_HOME points there so downloads land in it.</summary>
    public const string ModelCachePath = "/models";

    public static List<V1EnvVar> ForVllm(ManifestContext context, TopologyPool pool)
    {
        var env = pool.Env.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => Var(e.Key, e.Value)).ToList();
        if (pool.IsMultiNode)
        {
            // The seed's NCCL settings for pipeline stages on different nodes: libfabric's EFA provider with GPUDirect RDMA.
            env.Add(Var("NCCL_DEBUG", context.Spec.Engine.NcclDebug));
            env.AddRange(Libfabric());
            env.Add(Var("NCCL_ALGO", "Ring"));
            env.Add(Var("NCCL_PROTO", "Simple"));
            env.Add(Var("NCCL_MIN_NCHANNELS", "4"));
        }
        else if (context.TalksAcrossNodes(pool) && context.Spec.KvTransfer.NixlBackend == NixlBackend.Libfabric)
        {
            env.AddRange(Libfabric()); // NIXL's LIBFABRIC backend reads the same provider settings
        }

        env.Add(Var("HF_HOME", ModelCachePath));
        if (context.MovesKv(pool))
        {
            env.Add(FieldRef("VLLM_NIXL_SIDE_CHANNEL_HOST", "status.podIP"));
            env.Add(Var("VLLM_NIXL_SIDE_CHANNEL_PORT", context.SideChannelPort(pool).ToString(System.Globalization.CultureInfo.InvariantCulture)));
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

    public static string Invariant(IFormattable value) => value.ToString(null, System.Globalization.CultureInfo.InvariantCulture);

    private static IEnumerable<V1EnvVar> Libfabric() => [Var("FI_PROVIDER", "efa"), Var("FI_EFA_USE_DEVICE_RDMA", "1")];
}
