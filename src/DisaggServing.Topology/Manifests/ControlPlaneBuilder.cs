using System.Globalization;
using k8s.Models;

namespace DisaggServing.Topology.Manifests;

/// <summary>
/// The router and the KV-transfer service: Deployments and Services on CPU nodes, run from our images as a non-root
/// user on a read-only root filesystem, without a service-account token. Their environment is the typed contract of
/// <see cref="RouterEnvironment"/> and <see cref="KvTransferEnvironment"/>.
/// </summary>
internal static class ControlPlaneBuilder
{
    public const string RouterName = "router";
    public const string KvTransferName = "kv-transfer";
    public const string GrpcPortName = "grpc";

    /// <summary>The <c>app</c> user of the .NET container images (UID and GID 1654), numeric so the kubelet can check runAsNonRoot.</summary>
    public const long ImageUser = 1654;

    /// <summary>Our images are published for linux-x64 (the projects' ContainerRuntimeIdentifier).</summary>
    public const string ImageArchitecture = "amd64";

    public static Dictionary<string, string> RouterLabels(ManifestContext context) =>
        Labels.ForApp(context.Spec, "disagg-router", $"{context.Spec.Name}-{RouterName}", "router", context.OwnImage(context.Spec.Router.Image));

    public static Dictionary<string, string> KvTransferLabels(ManifestContext context) =>
        Labels.ForApp(context.Spec, "disagg-kv-transfer", $"{context.Spec.Name}-{KvTransferName}", "kv-transfer", context.OwnImage(context.Spec.KvTransfer.Image));

    public static V1Deployment RouterDeployment(ManifestContext context)
    {
        var spec = context.Spec;
        var router = spec.Router;
        var env = new List<V1EnvVar>
        {
            EngineEnv.Var(RouterEnvironment.HttpPorts, Invariant(router.Port)),
            EngineEnv.Var(RouterEnvironment.Port, Invariant(router.Port)),
            EngineEnv.Var(RouterEnvironment.MinUncachedTokens, Invariant(router.DecodeOnlyThresholdTokens)),
        };
        // vLLM engines have no KvPeer side channel to release a lease over; their leases expire on their own.
        if (spec.Engine.Kind == EngineKind.Vllm) env.Add(EngineEnv.Var(RouterEnvironment.ReleaseAbandonedLeases, "false"));
        if (!string.IsNullOrWhiteSpace(spec.ServedModel)) env.Add(EngineEnv.Var(RouterEnvironment.Model, spec.ServedModel));
        if (router.Scorers is { } scorers)
            foreach (var (key, value) in RouterEnvironment.SchedulingProfiles(scorers)) env.Add(EngineEnv.Var(key, value));
        if (RouterEnvironment.PerEngineConcurrency(spec) is { } perEngine) env.Add(EngineEnv.Var(RouterEnvironment.FlowPerEngineConcurrency, Invariant(perEngine)));
        if (spec.KvTransfer.Enabled) env.Add(EngineEnv.Var(RouterEnvironment.KvTransferUrl, $"http://{context.Dns(KvTransferName)}:{spec.KvTransfer.GrpcPort}"));
        // Each pool's headless Service resolves to its ready engine (leader) pods; the router re-resolves the dns:/// entry
        // and routes to every address. Indices run on across the pools of a role; colocated pools serve as decode.
        var prefill = 0;
        var decode = 0;
        foreach (var pool in spec.Pools)
        {
            var key = pool.Role == PoolRole.Prefill ? RouterEnvironment.Prefill(prefill++) : RouterEnvironment.Decode(decode++);
            env.Add(EngineEnv.Var(key, $"dns:///{context.Dns(context.ServiceName(pool))}:{spec.Engine.Port}"));
        }

        // Keys from Secrets, never in the manifests: the clients' keys, and the engines' key (VLLM_API_KEY) sent upstream.
        if (!string.IsNullOrWhiteSpace(router.ApiKeysSecret))
            env.Add(EngineEnv.SecretRef(RouterEnvironment.ApiKeys, router.ApiKeysSecret, router.ApiKeysSecretKey, router.ApiKeysOptional));
        if (!string.IsNullOrWhiteSpace(spec.Engine.ApiKeySecret))
            env.Add(EngineEnv.SecretRef(RouterEnvironment.WorkerApiKey, spec.Engine.ApiKeySecret, spec.Engine.ApiKeySecretKey));
        env.Add(EngineEnv.Var(RouterEnvironment.ShutdownTimeoutSeconds, Invariant(router.DrainSeconds)));

        var deployment = Deployment(context, RouterName, RouterLabels(context), context.OwnImage(router.Image), router.Replicas, router.Port, "500m", "512Mi", env);
        // Drain: the preStop sleep runs while the terminating pod leaves the Service's endpoints (and load balancers'
        // targets); only then does SIGTERM start the host's shutdown, which lets in-flight requests finish.
        deployment.Spec.Template.Spec.Containers[0].Lifecycle = new V1Lifecycle { PreStop = new V1LifecycleHandler { Sleep = new V1SleepAction { Seconds = router.PreStopSeconds } } };
        deployment.Spec.Template.Spec.TerminationGracePeriodSeconds = router.PreStopSeconds + router.DrainSeconds;
        return deployment;
    }

    public static V1Deployment KvTransferDeployment(ManifestContext context)
    {
        var kv = context.Spec.KvTransfer;
        var env = new List<V1EnvVar>
        {
            EngineEnv.Var(KvTransferEnvironment.HttpPorts, Invariant(kv.HttpPort)),
            EngineEnv.Var(KvTransferEnvironment.GrpcPort, Invariant(kv.GrpcPort)),
        };
        // vLLM engines publish KV events over ZMQ (--kv-events-config): subscribe to every pod of every pool's headless Service.
        if (context.OnGpus)
        {
            env.Add(EngineEnv.Var(KvTransferEnvironment.KvEventsEnginePort, Invariant(context.Spec.Engine.Port)));
            for (var i = 0; i < context.Spec.Pools.Count; i++)
                env.Add(EngineEnv.Var(KvTransferEnvironment.KvEventsService(i), $"dns:///{context.Dns(context.ServiceName(context.Spec.Pools[i]))}:{kv.KvEventsPort}"));
        }

        var deployment = Deployment(context, KvTransferName, KvTransferLabels(context), context.OwnImage(kv.Image), kv.Replicas, kv.HttpPort, "500m", "1Gi", env);
        deployment.Spec.Template.Spec.Containers[0].Ports.Add(new V1ContainerPort { Name = GrpcPortName, ContainerPort = kv.GrpcPort, Protocol = "TCP" });
        return deployment;
    }

    public static V1Service RouterService(ManifestContext context) =>
        Service(context, RouterName, RouterLabels(context), [Port("http", 80, "http")]);

    public static V1Service KvTransferService(ManifestContext context) =>
        Service(context, KvTransferName, KvTransferLabels(context),
            [Port(GrpcPortName, context.Spec.KvTransfer.GrpcPort, GrpcPortName), Port("http", context.Spec.KvTransfer.HttpPort, "http")]);

    private static V1Deployment Deployment(ManifestContext context, string name, Dictionary<string, string> labels, string image, int replicas,
        int port, string cpu, string memory, List<V1EnvVar> env)
    {
        var container = new V1Container
        {
            Name = name,
            Image = image,
            Env = env,
            Resources = new V1ResourceRequirements
            {
                Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new(cpu), ["memory"] = new(memory) },
                Limits = new Dictionary<string, ResourceQuantity> { ["memory"] = new(memory) },
            },
            SecurityContext = new V1SecurityContext
            {
                AllowPrivilegeEscalation = false,
                ReadOnlyRootFilesystem = true,
                Capabilities = new V1Capabilities { Drop = ["ALL"] },
            },
            // .NET writes its diagnostics socket and temporary files to /tmp.
            VolumeMounts = [new V1VolumeMount { Name = "tmp", MountPath = "/tmp" }],
        };
        EnginePodBuilder.AddHttp(container, port, startupMinutes: 2);
        return new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = EngineWorkloadBuilder.Meta(context, name, labels),
            Spec = new V1DeploymentSpec
            {
                Replicas = replicas,
                Selector = new V1LabelSelector { MatchLabels = Labels.Selector(labels) },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string>(labels) },
                    Spec = new V1PodSpec
                    {
                        Affinity = CpuNodes(context),
                        // Neither talks to the Kubernetes API.
                        AutomountServiceAccountToken = false,
                        SecurityContext = new V1PodSecurityContext
                        {
                            RunAsNonRoot = true,
                            RunAsUser = ImageUser,
                            RunAsGroup = ImageUser,
                            SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
                        },
                        Containers = [container],
                        Volumes = [new V1Volume { Name = "tmp", EmptyDir = new V1EmptyDirVolumeSource { SizeLimit = new ResourceQuantity("256Mi") } }],
                    },
                },
            },
        };
    }

    /// <summary>
    /// Nodes our linux-x64 images run on; with GPU engines, also off GPU role nodes (which carry the llm-d-role label),
    /// even where taints are missing.
    /// </summary>
    private static V1Affinity CpuNodes(ManifestContext context)
    {
        var expressions = new List<V1NodeSelectorRequirement> { new() { Key = "kubernetes.io/arch", OperatorProperty = "In", Values = [ImageArchitecture] } };
        if (context.OnGpus) expressions.Insert(0, new V1NodeSelectorRequirement { Key = Taints.RoleKey, OperatorProperty = "DoesNotExist" });
        return new V1Affinity
        {
            NodeAffinity = new V1NodeAffinity
            {
                RequiredDuringSchedulingIgnoredDuringExecution = new V1NodeSelector { NodeSelectorTerms = [new V1NodeSelectorTerm { MatchExpressions = expressions }] },
            },
        };
    }

    private static V1Service Service(ManifestContext context, string name, Dictionary<string, string> labels, List<V1ServicePort> ports) => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = EngineWorkloadBuilder.Meta(context, name, labels),
        Spec = new V1ServiceSpec { Type = "ClusterIP", Selector = Labels.Selector(labels), Ports = ports },
    };

    private static V1ServicePort Port(string name, int port, string target) => new() { Name = name, Port = port, TargetPort = target, Protocol = "TCP" };

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
