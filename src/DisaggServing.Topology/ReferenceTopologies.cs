using DisaggServing.Engine;

namespace DisaggServing.Topology;

/// <summary>
/// The reference topologies whose manifests are committed under <c>manifests/&lt;name&gt;/</c>. Each call builds a
/// fresh object, so callers may change it.
/// </summary>
public static class ReferenceTopologies
{
    private const string Glm5 = "zai-org/GLM-5-FP8";
    private const string Llama70B = "meta-llama/Llama-3.3-70B-Instruct";
    private const string P5 = "p5.48xlarge";
    private const string P5en = "p5en.48xlarge";

    private static readonly Dictionary<string, Func<TopologySpec>> Factories = new(StringComparer.Ordinal)
    {
        ["glm5-lws"] = Glm5Lws,
        ["llama70b-pd"] = Llama70BPd,
        ["glm5-pd-lws"] = () => Glm5Pd("glm5-pd-lws", disaggregatedSet: false),
        ["glm5-pd-ds"] = () => Glm5Pd("glm5-pd-ds", disaggregatedSet: true),
        ["local-70b"] = Local70B,
        ["llama70b-pd-karpenter"] = Llama70BPdKarpenter,
    };

    /// <summary>Names of the reference topologies.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. Factories.Keys];

    /// <summary>The reference topology <paramref name="name"/>; an <see cref="InputException"/> listing the names otherwise.</summary>
    public static TopologySpec Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Factories.TryGetValue(name.Trim(), out var factory)
            ? factory()
            : throw new InputException($"Unknown topology '{name}'. Known: {string.Join(", ", Names)}.");
    }

    /// <summary>
    /// The seed's GLM-5-FP8 (744B MoE) on one LeaderWorkerSet group of 2 p5.48xlarge nodes: PP=2 × TP=8, prefix
    /// caching, DeepGEMM. The seed's prefill and decode NodePools are kept as written; the group runs on a third
    /// NodePool for role <c>both</c>, since the seed's pods tolerate neither role taint; no pool runs on the seed's two, so,
    /// like the seed's, they carry no <c>limits</c> (never a limit of 0). The seed's image and NCCL/EFA
    /// environment are kept field for field through the pool's <see cref="TopologyPool.Image"/> and
    /// <see cref="TopologyPool.Env"/>, although the generator's defaults now differ (the EFA image, NCCL_DEBUG=WARN, no
    /// FI_PROVIDER/FI_EFA_USE_DEVICE_RDMA/NCCL_ALGO/NCCL_PROTO/NCCL_MIN_NCHANNELS, which aws-ofi-nccl says to leave
    /// out): preflight warns that this image has no aws-ofi-nccl.
    /// </summary>
    public static TopologySpec Glm5Lws()
    {
        var pool = Glm5Pool("vllm-glm5-fp8", PoolRole.Both, P5, pipelineParallel: 2);
        pool.Image = "vllm/vllm-openai:v0.18.1";
        // In key order, as configuration binds it (the manifests write a pool's Env in key order too).
        pool.Env = pool.Env.Concat(SeedNcclEnv.Select(e => KeyValuePair.Create(e.Key, e.Value)))
            .OrderBy(e => e.Key, StringComparer.Ordinal).ToDictionary(e => e.Key, e => e.Value);
        return new TopologySpec
        {
            Name = "glm5-lws",
            Namespace = "agentic-serving",
            Pools = [pool],
            Eks = new EksSettings
            {
                NodePools =
                [
                    new NodePoolSettings { Name = "gpu-prefill", Role = PoolRole.Prefill, InstanceFamilies = ["p5"] },
                    new NodePoolSettings { Name = "gpu-decode", Role = PoolRole.Decode, InstanceFamilies = ["p5"] },
                ],
            },
        };
    }

    /// <summary>
    /// Llama-3.3-70B (BF16, GQA) in P/D on p5.48xlarge: 2 prefill pods of TP=4 on one node, 4 decode pods of TP=4 on
    /// two. (The seed's TP=4 → TP=2 split is a valid NIXL pairing since vLLM #27274, but BF16 70B at TP=2 leaves an
    /// H100 too little KV cache for a 32k context.)
    /// </summary>
    public static TopologySpec Llama70BPd() => new()
    {
        Name = "llama70b-pd",
        Namespace = "llama70b-pd",
        Pools =
        [
            new TopologyPool { Name = "prefill", Role = PoolRole.Prefill, Model = Llama70B, InstanceType = P5, TensorParallel = 4, Replicas = 2, MaxModelLen = 32768 },
            new TopologyPool { Name = "decode", Role = PoolRole.Decode, Model = Llama70B, InstanceType = P5, TensorParallel = 4, Replicas = 4, MaxModelLen = 32768 },
        ],
    };

    /// <summary>
    /// <c>llama70b-pd</c> on self-managed Karpenter, as a platform team would publish it: our images from an ECR
    /// registry, an EC2NodeClass for cluster <c>disagg</c> (AL2023 NVIDIA AMI, instance-store RAID0, subnets and
    /// security groups by discovery tag), capacity reservations tagged for the topology tried before on-demand, and
    /// KEDA autoscaling of prefill (2–4 pods) and decode (4–8 pods) with NodePool limits for the maximum.
    /// </summary>
    public static TopologySpec Llama70BPdKarpenter()
    {
        var spec = Llama70BPd();
        spec.Name = "llama70b-pd-karpenter";
        spec.Namespace = "llama70b-pd-karpenter";
        spec.Pools[0].Autoscaling = new PoolAutoscaling { MinReplicas = 2, MaxReplicas = 4 };
        spec.Pools[1].Autoscaling = new PoolAutoscaling { MinReplicas = 4, MaxReplicas = 8 };
        spec.Eks = new EksSettings
        {
            NodeClassKind = NodeClassKind.Karpenter,
            ClusterName = "disagg",
            Registry = "123456789012.dkr.ecr.us-west-2.amazonaws.com",
            NodeClass = new Ec2NodeClassSettings { CapacityReservationTags = new() { ["disaggserving/topology"] = "llama70b-pd" } },
            NodePools =
            [
                new NodePoolSettings { Role = PoolRole.Prefill, CapacityTypes = ["reserved", "on-demand"] },
                new NodePoolSettings { Role = PoolRole.Decode, CapacityTypes = ["reserved", "on-demand"] },
            ],
        };
        return spec;
    }

    /// <summary>
    /// The AppHost's default, small enough to run on a 2-core laptop: Llama-3.3-70B with FP8 weights in P/D on
    /// (simulated) p5.48xlarge, 2 prefill and 2 decode replicas of TP=2 (equal TP: a valid NIXL pairing for a GQA
    /// model), the router on vLLM's port 8000, and the KV-transfer service.
    /// </summary>
    public static TopologySpec Local70B() => new()
    {
        Name = "local-70b",
        Namespace = "local-70b",
        Pools =
        [
            new TopologyPool { Name = "prefill", Role = PoolRole.Prefill, Model = Llama70B, InstanceType = P5, TensorParallel = 2, Replicas = 2, WeightDtype = "fp8", MaxModelLen = 32768 },
            new TopologyPool { Name = "decode", Role = PoolRole.Decode, Model = Llama70B, InstanceType = P5, TensorParallel = 2, Replicas = 2, WeightDtype = "fp8", MaxModelLen = 32768 },
        ],
        Router = new RouterSettings { Port = 8000 },
    };

    /// <summary>
    /// GLM-5-FP8 in P/D: each role one 8-GPU H200 node (p5en.48xlarge, TP=8, PP=1), where the FP8 weights (≈ 87 GiB
    /// per GPU) leave room for a KV cache; vLLM's NixlConnector supports no pipeline parallelism, so the seed's
    /// PP=2 × TP=8 on H100 cannot be a P/D role. <c>glm5-pd-lws</c> writes each role as a LeaderWorkerSet (groups of 1),
    /// <c>glm5-pd-ds</c> as one DisaggregatedSet.
    /// </summary>
    public static TopologySpec Glm5Pd(string name, bool disaggregatedSet) => new()
    {
        Name = name,
        Namespace = name,
        Pools = [Glm5Pool("prefill", PoolRole.Prefill, P5en, pipelineParallel: 1), Glm5Pool("decode", PoolRole.Decode, P5en, pipelineParallel: 1)],
        Eks = new EksSettings { DisaggregatedSet = disaggregatedSet, LeaderWorkerSet = !disaggregatedSet },
    };

    /// <summary>The seed's NCCL/EFA environment for pipeline stages on different nodes, in the seed's words.</summary>
    private static readonly (string Key, string Value)[] SeedNcclEnv =
    [
        ("NCCL_DEBUG", "INFO"),
        ("FI_PROVIDER", "efa"),
        ("FI_EFA_USE_DEVICE_RDMA", "1"),
        ("NCCL_ALGO", "Ring"),
        ("NCCL_PROTO", "Simple"),
        ("NCCL_MIN_NCHANNELS", "4"),
    ];

    private static TopologyPool Glm5Pool(string name, PoolRole role, string instanceType, int pipelineParallel) => new()
    {
        Name = name,
        Role = role,
        Model = Glm5,
        InstanceType = instanceType,
        TensorParallel = 8,
        PipelineParallel = pipelineParallel,
        Replicas = 1,
        WeightDtype = "fp8",
        GpuMemoryUtilization = 0.92,
        EnablePrefixCaching = true,
        Env = new() { ["VLLM_USE_DEEP_GEMM"] = "1" },
        ShmSize = "32Gi",
        ModelCacheSize = "1Ti",
    };
}
