namespace DisaggServing.Topology.Manifests.Crds;

// Karpenter's AWS EC2NodeClass (karpenter.k8s.aws/v1), the fields this project writes; names as in
// karpenter.k8s.aws_ec2nodeclasses.yaml.

/// <summary>An EC2NodeClass: AMI, IAM identity, subnets, security groups and storage of the nodes a NodePool launches.</summary>
internal sealed class Ec2NodeClass
{
    public string ApiVersion { get; init; } = "karpenter.k8s.aws/v1";

    public string Kind { get; init; } = "EC2NodeClass";

    public required k8s.Models.V1ObjectMeta Metadata { get; init; }

    public required Ec2NodeClassSpec Spec { get; init; }
}

/// <summary>spec of an EC2NodeClass.</summary>
internal sealed class Ec2NodeClassSpec
{
    public required List<AmiSelectorTerm> AmiSelectorTerms { get; init; }

    public string? Role { get; init; }

    public string? InstanceProfile { get; init; }

    public required List<SelectorTerm> SubnetSelectorTerms { get; init; }

    public required List<SelectorTerm> SecurityGroupSelectorTerms { get; init; }

    public List<SelectorTerm>? CapacityReservationSelectorTerms { get; init; }

    public PlacementGroupSelector? PlacementGroupSelector { get; init; }

    public string? InstanceStorePolicy { get; init; }

    public Dictionary<string, string>? Tags { get; init; }
}

/// <summary>spec.amiSelectorTerms[]: an EKS-optimized AMI alias (<c>al2023@latest</c>).</summary>
internal sealed class AmiSelectorTerm
{
    public required string Alias { get; init; }
}

/// <summary>A subnet, security-group or capacity-reservation selector term: by id, or by tags that must all match.</summary>
internal sealed class SelectorTerm
{
    public string? Id { get; init; }

    public Dictionary<string, string>? Tags { get; init; }
}

/// <summary>spec.placementGroupSelector.</summary>
internal sealed class PlacementGroupSelector
{
    public required string Name { get; init; }
}
