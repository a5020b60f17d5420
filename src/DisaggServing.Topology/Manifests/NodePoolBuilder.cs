using System.Globalization;
using DisaggServing.Topology.Manifests.Crds;
using k8s.Models;

namespace DisaggServing.Topology.Manifests;

/// <summary>
/// A Karpenter NodePool for one GPU role: role label and taint, instance requirements, node class, GPU limit with
/// room for the autoscaler's maximum, and disruption that never drains a serving node outside the maintenance window.
/// </summary>
internal static class NodePoolBuilder
{
    /// <summary>The well-known instance-type label, the same under Auto Mode and Karpenter.</summary>
    public const string InstanceTypeLabel = "node.kubernetes.io/instance-type";

    /// <summary>Node lifetime under Auto Mode when none is set: 20 days, plus its 24h termination grace period = its 21-day cap.</summary>
    public const string AutoModeExpireAfter = "480h";

    /// <summary>The disruption reasons that drain a node with serving pods on it (Empty does not).</summary>
    public static readonly IReadOnlyList<string> ServingReasons = ["Drifted", "Underutilized"];

    public static NodePool Build(ManifestContext context, ResolvedNodePool nodePool)
    {
        var spec = context.Spec;
        var settings = nodePool.Settings;
        var autoMode = spec.Eks.NodeClassKind == NodeClassKind.AutoMode;
        var prefix = autoMode ? "eks.amazonaws.com" : "karpenter.k8s.aws";
        var requirements = new List<V1NodeSelectorRequirement>();
        if (nodePool.InstanceFamilies.Count > 0) requirements.Add(In($"{prefix}/instance-family", nodePool.InstanceFamilies));
        if (nodePool.InstanceTypes.Count > 0) requirements.Add(In(InstanceTypeLabel, nodePool.InstanceTypes));
        if (settings.AvailabilityZones.Count > 0) requirements.Add(In("topology.kubernetes.io/zone", settings.AvailabilityZones));
        if (settings.CapacityTypes.Count > 0) requirements.Add(In("karpenter.sh/capacity-type", settings.CapacityTypes));

        return new NodePool
        {
            Metadata = new V1ObjectMeta { Name = nodePool.Name, Labels = Labels.ForTopology(spec) },
            Spec = new NodePoolSpec
            {
                Template = new NodeClaimTemplate
                {
                    Metadata = new NodeClaimTemplateMetadata { Labels = new() { [Taints.RoleKey] = nodePool.RoleName } },
                    Spec = new NodeClaimTemplateSpec
                    {
                        Requirements = requirements,
                        NodeClassRef = new NodeClassReference
                        {
                            Group = prefix,
                            Kind = autoMode ? "NodeClass" : "EC2NodeClass",
                            Name = context.NodeClassName,
                        },
                        Taints = Taints.OfNodePool(nodePool),
                        ExpireAfter = ExpireAfter(spec, settings),
                        TerminationGracePeriod = string.IsNullOrWhiteSpace(settings.TerminationGracePeriod) ? null : settings.TerminationGracePeriod.Trim(),
                    },
                },
                // Model servers take minutes to load: only empty nodes are reclaimed, after a grace period, and nodes
                // with serving pods only inside the maintenance window.
                Disruption = new NodePoolDisruption
                {
                    ConsolidationPolicy = settings.ConsolidationPolicy,
                    ConsolidateAfter = settings.ConsolidateAfter,
                    Budgets = Budgets(settings),
                },
                Limits = nodePool.GpuLimit is { } limit
                    ? new() { [Taints.GpuResource] = new ResourceQuantity(limit.ToString(CultureInfo.InvariantCulture)) }
                    : null,
            },
        };
    }

    /// <summary>The node lifetime written: the configured one, else Never (Karpenter) or Auto Mode's longest.</summary>
    public static string ExpireAfter(TopologySpec spec, NodePoolSettings settings) =>
        !string.IsNullOrWhiteSpace(settings.ExpireAfter) ? settings.ExpireAfter.Trim()
        : spec.Eks.NodeClassKind == NodeClassKind.AutoMode ? AutoModeExpireAfter : "Never";

    /// <summary>
    /// At most <see cref="NodePoolSettings.DisruptionBudget"/> nodes at once for any reason; and none for the reasons
    /// that drain serving nodes, outside the maintenance window (always, when there is none).
    /// </summary>
    public static List<NodePoolDisruptionBudget> Budgets(NodePoolSettings settings)
    {
        var budgets = new List<NodePoolDisruptionBudget> { new() { Nodes = settings.DisruptionBudget } };
        if (string.IsNullOrWhiteSpace(settings.MaintenanceWindow))
        {
            budgets.Add(new NodePoolDisruptionBudget { Nodes = "0", Reasons = [.. ServingReasons] });
        }
        else
        {
            var window = MaintenanceWindow.Parse(settings.MaintenanceWindow, settings.MaintenanceWindowDuration);
            budgets.Add(new NodePoolDisruptionBudget { Nodes = "0", Reasons = [.. ServingReasons], Schedule = window.ComplementSchedule, Duration = window.ComplementDuration });
        }

        return budgets;
    }

    private static V1NodeSelectorRequirement In(string key, IEnumerable<string> values) =>
        new() { Key = key, OperatorProperty = "In", Values = values.ToList() };
}
