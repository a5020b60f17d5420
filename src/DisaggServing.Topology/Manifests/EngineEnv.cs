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

    /// <summary>Our Worker reads ASP.NET configuration: <c>Worker__X</c> is <c>Worker:X</c>.</summary>
    public static List<V1EnvVar> ForWorker(ManifestContext context, TopologyPool pool)
    {
        var spec = context.Spec;
        var resolved = ResolvedPool.Resolve(pool);
        var env = new List<V1EnvVar>
        {
            Var("ASPNETCORE_HTTP_PORTS", Invariant(spec.Engine.Port)),
            Var("Worker__Role", pool.RoleName),
            Var("Worker__Model", pool.Model),
            Var("Worker__Gpu", resolved.Gpu.Id),
            Var("Worker__TensorParallel", Invariant(pool.TensorParallel)),
            Var("Worker__PipelineParallel", Invariant(pool.PipelineParallel)),
            Var("Worker__WeightDtype", pool.WeightDtype),
            Var("Worker__GpuMemoryUtilization", Invariant(pool.GpuMemoryUtilization)),
            Var("Worker__MaxModelLen", Invariant(pool.MaxModelLen)),
            Var("Worker__MaxNumBatchedTokens", Invariant(pool.MaxNumBatchedTokens)),
            Var("Worker__MaxNumSeqs", Invariant(pool.MaxNumSeqs)),
            Var("Worker__EnablePrefixCaching", pool.EnablePrefixCaching ? "true" : "false"),
            FieldRef("Worker__EngineId", "metadata.name"),
            FieldRef("Worker__AdvertiseHost", "status.podIP"),
            Var("Worker__KvPort", Invariant(context.SideChannelPort(pool))),
        };
        if (spec.KvTransfer.Enabled) env.Add(Var("Worker__KvTransfer__Address", $"http://{context.Dns(ControlPlaneBuilder.KvTransferName)}:{spec.KvTransfer.GrpcPort}"));
        env.AddRange(pool.Env.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => Var(e.Key, e.Value)));
        return env;
    }

    public static V1EnvVar Var(string name, string value) => new() { Name = name, Value = value };

    public static V1EnvVar FieldRef(string name, string path) =>
        new() { Name = name, ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = path } } };

    public static string Invariant(IFormattable value) => value.ToString(null, System.Globalization.CultureInfo.InvariantCulture);

    private static IEnumerable<V1EnvVar> Libfabric() => [Var("FI_PROVIDER", "efa"), Var("FI_EFA_USE_DEVICE_RDMA", "1")];
}
