namespace DisaggServing.Topology.Preflight.Rules;

/// <summary>The EC2NodeClass written under Karpenter can select an AMI, an identity, subnets and security groups.</summary>
internal sealed class KarpenterNodeClassRule : PreflightRule
{
    private static readonly string[] GpuAmiFamilies = ["al2023", "bottlerocket"];

    public override string Id => "karpenter-node-class";

    public override string Description => "Under Karpenter the EC2NodeClass has an AL2023 or Bottlerocket alias, a node role or instance profile, and subnet and security-group selectors.";

    public override IEnumerable<PreflightFinding> Evaluate(PreflightContext context)
    {
        var eks = context.Spec.Eks;
        if (eks.NodeClassKind != NodeClassKind.Karpenter || !eks.NodeClass.Create || context.NodePools.Count == 0) yield break;
        var settings = eks.NodeClass;
        var alias = settings.AmiAlias.Trim();
        var at = alias.IndexOf('@', StringComparison.Ordinal);
        if (at <= 0 || at == alias.Length - 1 || alias.Length > 30 || !GpuAmiFamilies.Contains(alias[..at], StringComparer.Ordinal))
            yield return Error(null, $"Eks:NodeClass:AmiAlias '{alias}' is not al2023@<version> or bottlerocket@<version> (the EKS-optimized AMIs with an NVIDIA variant Karpenter picks for GPU instances).",
                "Set AmiAlias to al2023@latest, a pinned al2023@v20250920, or bottlerocket@latest.");
        var cluster = !string.IsNullOrWhiteSpace(eks.ClusterName);
        if (!cluster && string.IsNullOrWhiteSpace(settings.Role) && string.IsNullOrWhiteSpace(settings.InstanceProfile))
            yield return Error(null, "the EC2NodeClass has no node role: Eks:ClusterName (for KarpenterNodeRole-<cluster>), Eks:NodeClass:Role and InstanceProfile are all empty.",
                "Set Eks:ClusterName, or the node role (Eks:NodeClass:Role) or instance profile.");
        if (!cluster && settings.SubnetIds.Count == 0 && settings.SubnetTags.Count == 0)
            yield return Error(null, "the EC2NodeClass selects no subnets: Eks:ClusterName (for the karpenter.sh/discovery tag), SubnetIds and SubnetTags are all empty.", "Set Eks:ClusterName or Eks:NodeClass:SubnetIds / SubnetTags.");
        if (!cluster && settings.SecurityGroupIds.Count == 0 && settings.SecurityGroupTags.Count == 0)
            yield return Error(null, "the EC2NodeClass selects no security groups: Eks:ClusterName, SecurityGroupIds and SecurityGroupTags are all empty.", "Set Eks:ClusterName or Eks:NodeClass:SecurityGroupIds / SecurityGroupTags.");
        if (settings.InstanceStorePolicy.Trim() is not ("" or "RAID0"))
            yield return Error(null, $"Eks:NodeClass:InstanceStorePolicy '{settings.InstanceStorePolicy}' is not RAID0 (the only policy Karpenter has).", "Set RAID0, or leave it empty to leave the NVMe disks unused.");
        else if (settings.InstanceStorePolicy.Trim().Length == 0)
            yield return Warning(null, "Eks:NodeClass:InstanceStorePolicy is empty: the NVMe instance store stays unused and images, the model cache and logs share the root volume.", "Set RAID0.");
    }
}
