using System.Globalization;
using k8s.Models;

namespace DisaggServing.Topology.Manifests;

/// <summary>
/// Pod templates of engine pods: GPU and EFA requests, tolerations, node selection, zone affinity, /dev/shm and
/// model-cache volumes, probes. The leader and worker templates of a group differ only by rank (and what rank
/// implies: a headless worker serves no HTTP, so it has no port or probes).
/// </summary>
internal static class EnginePodBuilder
{
    /// <summary>The EFA device plugin's resource.</summary>
    public const string EfaResource = "vpc.amazonaws.com/efa";

    /// <summary>The label LeaderWorkerSet puts on every pod with its index in the group (0 = leader).</summary>
    public const string WorkerIndexLabel = "leaderworkerset.sigs.k8s.io/worker-index";

    public static V1PodTemplateSpec Build(ManifestContext context, TopologyPool pool, EngineRank rank) => new()
    {
        Metadata = new V1ObjectMeta { Labels = context.PoolLabels(pool) },
        Spec = context.OnGpus ? VllmPod(context, pool, rank) : WorkerPod(context, pool),
    };

    private static V1PodSpec VllmPod(ManifestContext context, TopologyPool pool, EngineRank rank)
    {
        var spec = context.Spec;
        var instance = ResolvedPool.Resolve(pool).Instance;
        var serves = rank != EngineRank.Worker;
        var gpus = new ResourceQuantity(Invariant(pool.TensorParallel));
        var limits = new Dictionary<string, ResourceQuantity> { [Taints.GpuResource] = gpus };
        if (context.TalksAcrossNodes(pool))
        {
            // The pod's share of the node's EFA interfaces, in proportion to its GPUs.
            limits[EfaResource] = new ResourceQuantity(Invariant(Math.Max(1, instance.EfaInterfaces * pool.TensorParallel / instance.GpuCount)));
        }

        // Extended resources need requests = limits; CPU and memory get 90% of the pod's share of the node.
        var share = (double)pool.TensorParallel / instance.GpuCount;
        var requests = new Dictionary<string, ResourceQuantity>(limits)
        {
            ["cpu"] = new ResourceQuantity(Invariant((int)Math.Floor(instance.VCpus * share * 0.9))),
            ["memory"] = new ResourceQuantity(Invariant((int)Math.Floor(instance.MemoryGiB * share * 0.9)) + "Gi"),
        };

        var container = new V1Container
        {
            Name = "vllm",
            Image = context.Image(pool),
            Command = ["vllm", "serve"],
            Args = VllmArgs.For(context, pool, rank),
            Env = EngineEnv.ForVllm(context, pool),
            Resources = new V1ResourceRequirements { Requests = requests, Limits = limits },
            VolumeMounts =
            [
                new V1VolumeMount { Name = "model-cache", MountPath = EngineEnv.ModelCachePath },
                new V1VolumeMount { Name = "dshm", MountPath = "/dev/shm" },
            ],
        };
        if (serves) AddHttp(container, spec.Engine.Port, startupMinutes: 60);

        return new V1PodSpec
        {
            NodeSelector = new Dictionary<string, string>
            {
                [Taints.RoleKey] = pool.RoleName,
                [NodePoolBuilder.InstanceTypeLabel] = pool.InstanceType,
            },
            Tolerations = Taints.OfPool(pool),
            Affinity = ZoneAffinity(context, pool),
            HostNetwork = spec.Eks.HostNetwork ? true : null,
            DnsPolicy = spec.Eks.HostNetwork ? "ClusterFirstWithHostNet" : null,
            Containers = [container],
            Volumes =
            [
                new V1Volume { Name = "model-cache", EmptyDir = new V1EmptyDirVolumeSource { SizeLimit = new ResourceQuantity(pool.ModelCacheSize) } },
                new V1Volume { Name = "dshm", EmptyDir = new V1EmptyDirVolumeSource { Medium = "Memory", SizeLimit = new ResourceQuantity(pool.ShmSize) } },
            ],
        };
    }

    private static V1PodSpec WorkerPod(ManifestContext context, TopologyPool pool)
    {
        var container = new V1Container
        {
            Name = "worker",
            Image = context.Image(pool),
            Env = EngineEnv.ForWorker(context, pool),
            Resources = new V1ResourceRequirements
            {
                Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("1"), ["memory"] = new("1Gi") },
                Limits = new Dictionary<string, ResourceQuantity> { ["memory"] = new("2Gi") },
            },
        };
        AddHttp(container, context.Spec.Engine.Port, startupMinutes: 2);
        return new V1PodSpec { Containers = [container] };
    }

    /// <summary>
    /// Prefill and decode pods must share a zone (EFA does not cross zones): each requires a P/D pod of the topology
    /// in its zone. The first pod matches itself, so it schedules anywhere and pins the zone for the rest.
    /// </summary>
    private static V1Affinity? ZoneAffinity(ManifestContext context, TopologyPool pool)
    {
        if (!context.Spec.Eks.SameZone || !context.MovesKv(pool)) return null;
        return new V1Affinity
        {
            PodAffinity = new V1PodAffinity
            {
                RequiredDuringSchedulingIgnoredDuringExecution =
                [
                    new V1PodAffinityTerm
                    {
                        TopologyKey = "topology.kubernetes.io/zone",
                        LabelSelector = new V1LabelSelector
                        {
                            MatchExpressions =
                            [
                                new V1LabelSelectorRequirement { Key = Labels.PartOf, OperatorProperty = "In", Values = [context.Spec.Name] },
                                new V1LabelSelectorRequirement { Key = Labels.Role, OperatorProperty = "In", Values = ["prefill", "decode"] },
                            ],
                        },
                    },
                ],
            },
        };
    }

    /// <summary>Port and probes: startup allows for model download and load; then readiness gates traffic and liveness restarts a hung server.</summary>
    public static void AddHttp(V1Container container, int port, int startupMinutes)
    {
        container.Ports = [new V1ContainerPort { Name = "http", ContainerPort = port, Protocol = "TCP" }];
        V1HTTPGetAction Health() => new() { Path = "/health", Port = "http" };
        container.StartupProbe = new V1Probe { HttpGet = Health(), PeriodSeconds = 10, FailureThreshold = startupMinutes * 6 };
        container.ReadinessProbe = new V1Probe { HttpGet = Health(), PeriodSeconds = 10, FailureThreshold = 3 };
        container.LivenessProbe = new V1Probe { HttpGet = Health(), PeriodSeconds = 30, TimeoutSeconds = 10, FailureThreshold = 5 };
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
