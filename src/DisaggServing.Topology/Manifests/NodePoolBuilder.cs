using DisaggServing.Topology.Manifests.Crds;
using k8s.Models;

namespace DisaggServing.Topology.Manifests;

/// <summary>A Karpenter NodePool for one GPU role: role label and taint, instance requirements, node class, GPU limit, disruption.</summary>
internal static class NodePoolBuilder
{
    /// <summary>The well-known instance-type label, the same under Auto Mode and Karpenter.</summary>
    public const string InstanceTypeLabel = "node.kubernetes.io/instance-type";

    public static NodePool Build(TopologySpec spec, ResolvedNodePool nodePool)
    {
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
                            Name = spec.Eks.NodeClassName,
                        },
                        Taints = Taints.OfNodePool(nodePool),
                        ExpireAfter = string.IsNullOrWhiteSpace(settings.ExpireAfter) ? null : settings.ExpireAfter,
                    },
                },
                // Model servers take minutes to load: only empty nodes are reclaimed, one at a time, after a grace period.
                Disruption = new NodePoolDisruption
                {
                    ConsolidationPolicy = settings.ConsolidationPolicy,
                    ConsolidateAfter = settings.ConsolidateAfter,
                    Budgets = [new NodePoolDisruptionBudget { Nodes = settings.DisruptionBudget }],
                },
                Limits = new() { [Taints.GpuResource] = new ResourceQuantity(nodePool.GpuLimit.ToString(System.Globalization.CultureInfo.InvariantCulture)) },
            },
        };
    }

    private static V1NodeSelectorRequirement In(string key, IEnumerable<string> values) =>
        new() { Key = key, OperatorProperty = "In", Values = values.ToList() };
}
