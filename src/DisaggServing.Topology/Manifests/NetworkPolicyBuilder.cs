using k8s.Models;

namespace DisaggServing.Topology.Manifests;

/// <summary>
/// Ingress NetworkPolicies, one per engine pool, router and KV-transfer service. Engines: the router reaches their
/// HTTP port (Prometheus too when it scrapes), other engines of the topology their NIXL side channel (<c>nixl</c>), and
/// the pods of their own multi-node group the torch.distributed rendezvous (<c>dist</c>) and the ephemeral ports NCCL,
/// Gloo and vLLM bind for their own connections (they cannot be pinned: NVIDIA/nccl#388). The router is open on its
/// HTTP port; the KV-transfer service takes gRPC from the router and engines. Egress is left open (model downloads,
/// DNS, AWS APIs). Kubelet probes come from the node, which NetworkPolicies do not block. Traffic over EFA (NCCL via
/// aws-ofi-nccl, NIXL's LIBFABRIC backend) bypasses the kernel's network stack and so these policies.
/// </summary>
internal static class NetworkPolicyBuilder
{
    /// <summary>Named container ports of engine pods.</summary>
    public const string HttpPort = "http";
    public const string NixlPort = "nixl";
    public const string DistPort = "dist";

    /// <summary>Linux's default ephemeral port range (net.ipv4.ip_local_port_range), where port-0 listeners land.</summary>
    public const int EphemeralFirst = 32768;
    public const int EphemeralLast = 60999;

    public static V1NetworkPolicy ForPool(ManifestContext context, TopologyPool pool)
    {
        var spec = context.Spec;
        var labels = context.PoolLabels(pool);
        var fromRouter = new List<V1NetworkPolicyPort> { Port(HttpPort) };
        // Our Worker engines also take the router's lease releases on their KV side channel.
        if (!context.OnGpus) fromRouter.Add(Port(NixlPort));
        var rules = new List<V1NetworkPolicyIngressRule> { new() { FromProperty = [RouterPeer(context)], Ports = fromRouter } };
        if (context.PrometheusScrapes) rules.Add(new V1NetworkPolicyIngressRule { FromProperty = [PrometheusPeer(context)], Ports = [Port(HttpPort)] });
        if (context.MovesKv(pool))
        {
            // UCX moves KV over TCP on ports it picks itself when EFA is not used; LIBFABRIC's data goes over EFA.
            rules.Add(new V1NetworkPolicyIngressRule
            {
                FromProperty = [EnginesPeer(context)],
                Ports = spec.KvTransfer.NixlBackend == NixlBackend.Ucx ? null : [Port(NixlPort)],
            });
        }

        if (context.OnGpus && pool.IsMultiNode)
        {
            rules.Add(new V1NetworkPolicyIngressRule
            {
                FromProperty = [new V1NetworkPolicyPeer { PodSelector = new V1LabelSelector { MatchLabels = Labels.Selector(labels) } }],
                Ports = [Port(DistPort), new V1NetworkPolicyPort { Protocol = "TCP", Port = EphemeralFirst, EndPort = EphemeralLast }],
            });
        }

        return Policy(context, pool.Name, labels, new V1LabelSelector { MatchLabels = Labels.Selector(labels) }, rules);
    }

    public static V1NetworkPolicy ForRouter(ManifestContext context, Dictionary<string, string> routerLabels) =>
        Policy(context, ControlPlaneBuilder.RouterName, routerLabels, new V1LabelSelector { MatchLabels = Labels.Selector(routerLabels) },
            [new V1NetworkPolicyIngressRule { Ports = [Port(HttpPort)] }]); // the front door: any client, its HTTP port only

    public static V1NetworkPolicy ForKvTransfer(ManifestContext context, Dictionary<string, string> kvLabels)
    {
        var rules = new List<V1NetworkPolicyIngressRule>
        {
            new() { FromProperty = [RouterPeer(context), EnginesPeer(context)], Ports = [Port(ControlPlaneBuilder.GrpcPortName)] },
        };
        if (context.PrometheusScrapes) rules.Add(new V1NetworkPolicyIngressRule { FromProperty = [PrometheusPeer(context)], Ports = [Port(HttpPort)] });
        return Policy(context, ControlPlaneBuilder.KvTransferName, kvLabels, new V1LabelSelector { MatchLabels = Labels.Selector(kvLabels) }, rules);
    }

    /// <summary>The engine pods of the topology: its part-of label and any llm-d role.</summary>
    public static V1NetworkPolicyPeer EnginesPeer(ManifestContext context) => new()
    {
        PodSelector = new V1LabelSelector
        {
            MatchLabels = new Dictionary<string, string> { [Labels.PartOf] = context.Spec.Name },
            MatchExpressions = [new V1LabelSelectorRequirement { Key = Labels.Role, OperatorProperty = "Exists" }],
        },
    };

    private static V1NetworkPolicyPeer RouterPeer(ManifestContext context) =>
        new() { PodSelector = new V1LabelSelector { MatchLabels = Labels.Selector(ControlPlaneBuilder.RouterLabels(context)) } };

    private static V1NetworkPolicyPeer PrometheusPeer(ManifestContext context) => new()
    {
        NamespaceSelector = new V1LabelSelector
        {
            MatchLabels = new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = context.Spec.Eks.Prometheus.Namespace.Trim() },
        },
    };

    private static V1NetworkPolicyPort Port(string name) => new() { Protocol = "TCP", Port = name };

    private static V1NetworkPolicy Policy(ManifestContext context, string name, Dictionary<string, string> labels, V1LabelSelector selector, List<V1NetworkPolicyIngressRule> rules) => new()
    {
        ApiVersion = "networking.k8s.io/v1",
        Kind = "NetworkPolicy",
        Metadata = EngineWorkloadBuilder.Meta(context, name, labels),
        Spec = new V1NetworkPolicySpec { PodSelector = selector, PolicyTypes = ["Ingress"], Ingress = rules },
    };
}
