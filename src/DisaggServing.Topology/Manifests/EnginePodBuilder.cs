using System.Globalization;
using k8s.Models;

namespace DisaggServing.Topology.Manifests;

/// <summary>
/// Pod templates of engine pods: GPU, EFA and hugepage requests, tolerations, node selection, zone affinity, /dev/shm
/// and model-cache volumes, named ports, probes and a graceful stop. The leader and worker templates of a group differ
/// only by rank (and what rank implies: a headless worker serves no HTTP, so it has no HTTP port or probes).
/// </summary>
internal static class EnginePodBuilder
{
    /// <summary>The EFA device plugin's resource.</summary>
    public const string EfaResource = "vpc.amazonaws.com/efa";

    /// <summary>Huge pages of 2 MiB, which libfabric's EFA provider allocates its buffers from.</summary>
    public const string HugepagesResource = "hugepages-2Mi";

    /// <summary>The capability that lets a process lock the memory it registers with the EFA device.</summary>
    public const string IpcLock = "IPC_LOCK";

    /// <summary>Name of the HTTP port (the OpenAI server).</summary>
    public const string HttpPortName = "http";

    /// <summary>Name of the NIXL side-channel port (the KV-transfer handshake).</summary>
    public const string NixlPortName = "nixl";

    /// <summary>Name of the torch.distributed port a LeaderWorkerSet leader listens on.</summary>
    public const string DistPortName = "dist";

    /// <summary>The label LeaderWorkerSet puts on every pod with its index in the group (0 = leader).</summary>
    public const string WorkerIndexLabel = "leaderworkerset.sigs.k8s.io/worker-index";

    /// <summary>The label LeaderWorkerSet puts on every pod of a group with the group's unique key.</summary>
    public const string GroupKeyLabel = "leaderworkerset.sigs.k8s.io/group-key";

    /// <summary>The well-known node label of the availability zone.</summary>
    public const string ZoneKey = "topology.kubernetes.io/zone";

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
        var efa = context.UsesEfa(pool);
        var limits = new Dictionary<string, ResourceQuantity> { [Taints.GpuResource] = new(Invariant(pool.TensorParallel)) };
        if (efa)
        {
            // The pod's share of the node's EFA interfaces, in proportion to its GPUs.
            limits[EfaResource] = new ResourceQuantity(Invariant(Math.Max(1, instance.EfaInterfaces * pool.TensorParallel / instance.GpuCount)));
            if (Hugepages(spec, pool, instance.GpuCount) is { } hugepages) limits[HugepagesResource] = hugepages;
        }

        // Extended resources and hugepages need requests = limits; CPU and memory get 90% of the pod's share of the node.
        var share = (double)pool.TensorParallel / instance.GpuCount;
        var requests = new Dictionary<string, ResourceQuantity>(limits)
        {
            ["cpu"] = new ResourceQuantity(Invariant((int)Math.Floor(instance.VCpus * share * 0.9))),
            ["memory"] = new ResourceQuantity(Invariant((int)Math.Floor(instance.MemoryGiB * share * 0.9)) + "Gi"),
        };
        // An emptyDir lives on the node's ephemeral storage: request what the cache may fill, so the pod only lands
        // on a node whose ephemeral storage (instance store) holds the weights.
        if (ModelLoading.EphemeralStorage(context, pool) is { } storage) requests["ephemeral-storage"] = storage;

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
                new V1VolumeMount { Name = ModelLoading.VolumeName, MountPath = EngineEnv.ModelCachePath },
                new V1VolumeMount { Name = "dshm", MountPath = "/dev/shm" },
            ],
            Ports = Ports(context, pool, rank),
            Lifecycle = EngineDrain.Lifecycle(context, pool, rank),
            // libfabric registers (pins) GPU and host buffers with the EFA device, which needs locked memory.
            SecurityContext = efa ? new V1SecurityContext { Capabilities = new V1Capabilities { Add = [IpcLock] } } : null,
        };
        if (serves) AddProbes(container, ModelLoading.StartupFailureThreshold(context, pool));

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
            TerminationGracePeriodSeconds = EngineDrain.GracePeriodSeconds(context, pool),
            Containers = [container],
            Volumes =
            [
                ModelLoading.Volume(context, pool),
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
            Lifecycle = EngineDrain.Lifecycle(context, pool, EngineRank.Single),
        };
        AddHttp(container, context.Spec.Engine.Port, startupMinutes: 2);
        // The Worker's KV peer port plays NIXL's side channel: named alike for the NetworkPolicies.
        if (context.MovesKv(pool)) container.Ports.Add(new V1ContainerPort { Name = NixlPortName, ContainerPort = context.SideChannelPort(pool), Protocol = "TCP" });
        return new V1PodSpec { TerminationGracePeriodSeconds = EngineDrain.GracePeriodSeconds(context, pool), Containers = [container] };
    }

    /// <summary>
    /// Named ports for Services and NetworkPolicies: <c>http</c> where the pod serves, <c>nixl</c> (the side channel)
    /// where it moves KV, <c>dist</c> (torch.distributed) on a group's leader.
    /// </summary>
    private static List<V1ContainerPort>? Ports(ManifestContext context, TopologyPool pool, EngineRank rank)
    {
        var ports = new List<V1ContainerPort>();
        if (rank != EngineRank.Worker) ports.Add(new V1ContainerPort { Name = HttpPortName, ContainerPort = context.Spec.Engine.Port, Protocol = "TCP" });
        if (context.MovesKv(pool)) ports.Add(new V1ContainerPort { Name = NixlPortName, ContainerPort = context.SideChannelPort(pool), Protocol = "TCP" });
        if (rank == EngineRank.Leader) ports.Add(new V1ContainerPort { Name = DistPortName, ContainerPort = context.Spec.Engine.MasterPort, Protocol = "TCP" });
        return ports.Count == 0 ? null : ports;
    }

    /// <summary>
    /// <c>hugepages-2Mi</c> for an EFA pod: <see cref="EngineSettings.EfaHugepages"/> for a whole node, the pod's GPU
    /// share of it otherwise (pods on one node share the node's pre-allocated pages); null when none is configured.
    /// </summary>
    public static ResourceQuantity? Hugepages(TopologySpec spec, TopologyPool pool, int gpusPerNode)
    {
        if (string.IsNullOrWhiteSpace(spec.Engine.EfaHugepages)) return null;
        const long page = 2L * 1024 * 1024;
        var node = new ResourceQuantity(spec.Engine.EfaHugepages).ToInt64();
        var pages = node / page * Math.Min(pool.TensorParallel, gpusPerNode) / gpusPerNode;
        return pages <= 0 ? null : new ResourceQuantity(Invariant(pages * 2) + "Mi");
    }

    /// <summary>
    /// Zone terms. EFA does not cross availability zones, so: (1) prefill and decode pods that move KV each require a
    /// P/D pod of the topology in their zone (the first pod matches itself, so it schedules anywhere and pins the zone
    /// for the rest); (2) the pods of one LeaderWorkerSet group require their group's pods in their zone: the group
    /// key LWS stamps on every pod of a group is merged into the selector through <c>matchLabelKeys</c>
    /// (Kubernetes ≥ 1.31). A DisaggregatedSet role needs neither when the set's own placement policy pins each slice
    /// to a zone.
    /// </summary>
    private static V1Affinity? ZoneAffinity(ManifestContext context, TopologyPool pool)
    {
        var terms = new List<V1PodAffinityTerm>();
        if (context.Spec.Eks.SameZone && context.MovesKv(pool) && !context.ZonedBySet(pool))
        {
            terms.Add(new V1PodAffinityTerm
            {
                TopologyKey = ZoneKey,
                LabelSelector = new V1LabelSelector
                {
                    MatchExpressions =
                    [
                        new V1LabelSelectorRequirement { Key = Labels.PartOf, OperatorProperty = "In", Values = [context.Spec.Name] },
                        new V1LabelSelectorRequirement { Key = Labels.Role, OperatorProperty = "In", Values = ["prefill", "decode"] },
                    ],
                },
            });
        }

        if (context.IsMultiPod(pool) && !context.ZonedBySet(pool))
        {
            terms.Add(new V1PodAffinityTerm
            {
                TopologyKey = ZoneKey,
                LabelSelector = new V1LabelSelector
                {
                    MatchExpressions = [new V1LabelSelectorRequirement { Key = Labels.Instance, OperatorProperty = "In", Values = [context.PoolLabels(pool)[Labels.Instance]] }],
                },
                MatchLabelKeys = [GroupKeyLabel],
            });
        }

        return terms.Count == 0 ? null : new V1Affinity { PodAffinity = new V1PodAffinity { RequiredDuringSchedulingIgnoredDuringExecution = terms } };
    }

    /// <summary>Port and probes: startup allows for model download and load; then readiness gates traffic and liveness restarts a hung server.</summary>
    public static void AddHttp(V1Container container, int port, int startupMinutes)
    {
        container.Ports = [new V1ContainerPort { Name = HttpPortName, ContainerPort = port, Protocol = "TCP" }];
        AddProbes(container, startupMinutes * 60 / ModelLoading.StartupPeriodSeconds);
    }

    private static void AddProbes(V1Container container, int startupFailureThreshold)
    {
        V1HTTPGetAction Health() => new() { Path = "/health", Port = HttpPortName };
        container.StartupProbe = new V1Probe { HttpGet = Health(), PeriodSeconds = ModelLoading.StartupPeriodSeconds, FailureThreshold = startupFailureThreshold };
        container.ReadinessProbe = new V1Probe { HttpGet = Health(), PeriodSeconds = 10, FailureThreshold = 3 };
        container.LivenessProbe = new V1Probe { HttpGet = Health(), PeriodSeconds = 30, TimeoutSeconds = 10, FailureThreshold = 5 };
    }

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);
}
