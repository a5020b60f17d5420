using System.Globalization;
using k8s.Models;

namespace DisaggServing.Topology.Manifests;

/// <summary>The router and the KV-transfer service: Deployments and Services on CPU nodes.</summary>
internal static class ControlPlaneBuilder
{
    public const string RouterName = "router";
    public const string KvTransferName = "kv-transfer";

    public static V1Deployment RouterDeployment(ManifestContext context)
    {
        var spec = context.Spec;
        var router = spec.Router;
        // The router's own keys, as the AppHost sets them locally (Router__Port, Router__Model, Router__KvTransferUrl,
        // Router__Decider__MinUncachedTokens, Router__Prefill__i / Router__Decode__i).
        var env = new List<V1EnvVar>
        {
            EngineEnv.Var("ASPNETCORE_HTTP_PORTS", Invariant(router.Port)),
            EngineEnv.Var("Router__Port", Invariant(router.Port)),
            EngineEnv.Var("Router__Decider__MinUncachedTokens", Invariant(router.DecodeOnlyThresholdTokens)),
        };
        // vLLM engines have no KvPeer side channel to release a lease over; their leases expire on their own.
        if (spec.Engine.Kind == EngineKind.Vllm) env.Add(EngineEnv.Var("Router__ReleaseAbandonedLeases", "false"));
        if (!string.IsNullOrWhiteSpace(spec.ServedModel)) env.Add(EngineEnv.Var("Router__Model", spec.ServedModel));
        if (spec.KvTransfer.Enabled) env.Add(EngineEnv.Var("Router__KvTransferUrl", $"http://{context.Dns(KvTransferName)}:{spec.KvTransfer.GrpcPort}"));
        // Each pool's headless Service resolves to its ready engine (leader) pods; the router re-resolves the dns:/// entry
        // and routes to every address. Indices run on across the pools of a role; colocated pools serve as decode.
        var prefill = 0;
        var decode = 0;
        foreach (var pool in spec.Pools)
        {
            var key = pool.Role == PoolRole.Prefill ? $"Router__Prefill__{prefill++}" : $"Router__Decode__{decode++}";
            env.Add(EngineEnv.Var(key, $"dns:///{context.Dns(context.ServiceName(pool))}:{spec.Engine.Port}"));
        }

        return Deployment(context, RouterName, "disagg-router", "router", router.Image, router.Replicas, router.Port, "500m", "512Mi", env);
    }

    public static V1Deployment KvTransferDeployment(ManifestContext context)
    {
        var kv = context.Spec.KvTransfer;
        var env = new List<V1EnvVar>
        {
            EngineEnv.Var("ASPNETCORE_HTTP_PORTS", Invariant(kv.HttpPort)),
            EngineEnv.Var("KvTransfer__GrpcPort", Invariant(kv.GrpcPort)),
        };
        // vLLM engines publish KV events over ZMQ (--kv-events-config): subscribe to every pod of every pool's headless Service.
        if (context.OnGpus)
        {
            env.Add(EngineEnv.Var("KvTransfer__KvEvents__EnginePort", Invariant(context.Spec.Engine.Port)));
            for (var i = 0; i < context.Spec.Pools.Count; i++)
                env.Add(EngineEnv.Var($"KvTransfer__KvEvents__Services__{i}", $"dns:///{context.Dns(context.ServiceName(context.Spec.Pools[i]))}:{kv.KvEventsPort}"));
        }

        var deployment = Deployment(context, KvTransferName, "disagg-kv-transfer", "kv-transfer", kv.Image, kv.Replicas, kv.HttpPort, "500m", "1Gi", env);
        deployment.Spec.Template.Spec.Containers[0].Ports.Add(new V1ContainerPort { Name = "grpc", ContainerPort = kv.GrpcPort, Protocol = "TCP" });
        return deployment;
    }

    public static V1Service RouterService(ManifestContext context) =>
        Service(context, RouterName, context.Spec.Router.Image, "disagg-router", "router", [Port("http", 80, "http")]);

    public static V1Service KvTransferService(ManifestContext context) =>
        Service(context, KvTransferName, context.Spec.KvTransfer.Image, "disagg-kv-transfer", "kv-transfer",
            [Port("grpc", context.Spec.KvTransfer.GrpcPort, "grpc"), Port("http", context.Spec.KvTransfer.HttpPort, "http")]);

    private static V1Deployment Deployment(ManifestContext context, string name, string app, string component, string image, int replicas,
        int port, string cpu, string memory, List<V1EnvVar> env)
    {
        var labels = Labels.ForApp(context.Spec, app, $"{context.Spec.Name}-{name}", component, image);
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
                    Spec = new V1PodSpec { Affinity = CpuNodes(context), Containers = [container] },
                },
            },
        };
    }

    /// <summary>Keeps control-plane pods off GPU role nodes (which carry the llm-d-role label), even where taints are missing.</summary>
    private static V1Affinity? CpuNodes(ManifestContext context) => !context.OnGpus ? null : new V1Affinity
    {
        NodeAffinity = new V1NodeAffinity
        {
            RequiredDuringSchedulingIgnoredDuringExecution = new V1NodeSelector
            {
                NodeSelectorTerms = [new V1NodeSelectorTerm { MatchExpressions = [new V1NodeSelectorRequirement { Key = Taints.RoleKey, OperatorProperty = "DoesNotExist" }] }],
            },
        },
    };

    private static V1Service Service(ManifestContext context, string name, string image, string app, string component, List<V1ServicePort> ports)
    {
        var labels = Labels.ForApp(context.Spec, app, $"{context.Spec.Name}-{name}", component, image);
        return new V1Service
        {
            ApiVersion = "v1",
            Kind = "Service",
            Metadata = EngineWorkloadBuilder.Meta(context, name, labels),
            Spec = new V1ServiceSpec { Type = "ClusterIP", Selector = Labels.Selector(labels), Ports = ports },
        };
    }

    private static V1ServicePort Port(string name, int port, string target) => new() { Name = name, Port = port, TargetPort = target, Protocol = "TCP" };

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
