using DisaggServing.Topology.Manifests.Crds;
using k8s.Models;

namespace DisaggServing.Topology.Manifests;

/// <summary>
/// The Karpenter EC2NodeClass the GPU NodePools reference under <c>Eks:NodeClassKind=Karpenter</c> (Auto Mode keeps
/// its built-in NodeClass): an EKS-optimized AMI alias whose GPU variant carries the NVIDIA driver, the node role,
/// subnets and security groups by discovery tag, instance-store RAID0, and optional capacity reservations and
/// placement group.
/// </summary>
internal static class NodeClassBuilder
{
    /// <summary>The tag Karpenter's getting-started guide puts on the cluster's subnets and node security group.</summary>
    public const string DiscoveryTag = "karpenter.sh/discovery";

    /// <summary>True when the topology writes an EC2NodeClass.</summary>
    public static bool Writes(ManifestContext context) =>
        context.Spec.Eks.NodeClassKind == NodeClassKind.Karpenter && context.Spec.Eks.NodeClass.Create && context.NodePools.Count > 0;

    public static Ec2NodeClass Build(ManifestContext context)
    {
        var eks = context.Spec.Eks;
        var settings = eks.NodeClass;
        var cluster = eks.ClusterName.Trim();
        var discovery = new Dictionary<string, string> { [DiscoveryTag] = cluster };
        var reservations = settings.CapacityReservationIds.Select(id => new SelectorTerm { Id = id }).ToList();
        if (settings.CapacityReservationTags.Count > 0) reservations.Add(new SelectorTerm { Tags = Sorted(settings.CapacityReservationTags) });
        var useProfile = !string.IsNullOrWhiteSpace(settings.InstanceProfile);
        return new Ec2NodeClass
        {
            Metadata = new V1ObjectMeta { Name = context.NodeClassName, Labels = Labels.ForTopology(context.Spec) },
            Spec = new Ec2NodeClassSpec
            {
                AmiSelectorTerms = [new AmiSelectorTerm { Alias = settings.AmiAlias.Trim() }],
                Role = useProfile ? null : RoleOf(eks),
                InstanceProfile = useProfile ? settings.InstanceProfile.Trim() : null,
                SubnetSelectorTerms = Terms(settings.SubnetIds, settings.SubnetTags, discovery),
                SecurityGroupSelectorTerms = Terms(settings.SecurityGroupIds, settings.SecurityGroupTags, discovery),
                CapacityReservationSelectorTerms = reservations.Count > 0 ? reservations : null,
                PlacementGroupSelector = string.IsNullOrWhiteSpace(settings.PlacementGroup) ? null : new PlacementGroupSelector { Name = settings.PlacementGroup.Trim() },
                InstanceStorePolicy = string.IsNullOrWhiteSpace(settings.InstanceStorePolicy) ? null : settings.InstanceStorePolicy.Trim(),
                Tags = settings.Tags.Count > 0 ? Sorted(settings.Tags) : null,
            },
        };
    }

    /// <summary>The node role: the configured one, else Karpenter's getting-started name <c>KarpenterNodeRole-&lt;cluster&gt;</c>.</summary>
    public static string RoleOf(EksSettings eks) =>
        !string.IsNullOrWhiteSpace(eks.NodeClass.Role) ? eks.NodeClass.Role.Trim() : $"KarpenterNodeRole-{eks.ClusterName.Trim()}";

    // Ids, each its own term (terms are ORed); else one term of tags (all must match); else the discovery tag.
    private static List<SelectorTerm> Terms(List<string> ids, Dictionary<string, string> tags, Dictionary<string, string> discovery)
    {
        if (ids.Count > 0) return ids.Select(id => new SelectorTerm { Id = id.Trim() }).ToList();
        return [new SelectorTerm { Tags = tags.Count > 0 ? Sorted(tags) : new Dictionary<string, string>(discovery) }];
    }

    private static Dictionary<string, string> Sorted(Dictionary<string, string> tags) =>
        tags.OrderBy(t => t.Key, StringComparer.Ordinal).ToDictionary(t => t.Key, t => t.Value);
}
