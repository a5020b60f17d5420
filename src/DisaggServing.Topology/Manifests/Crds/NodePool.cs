using k8s.Models;

namespace DisaggServing.Topology.Manifests.Crds;

// Karpenter v1 NodePool (karpenter.sh/v1), the fields this project writes; names as in karpenter.sh_nodepools.yaml.

/// <summary>A Karpenter NodePool.</summary>
internal sealed class NodePool
{
    public string ApiVersion { get; init; } = "karpenter.sh/v1";

    public string Kind { get; init; } = "NodePool";

    public required V1ObjectMeta Metadata { get; init; }

    public required NodePoolSpec Spec { get; init; }
}

/// <summary>spec of a NodePool.</summary>
internal sealed class NodePoolSpec
{
    public required NodeClaimTemplate Template { get; init; }

    public NodePoolDisruption? Disruption { get; init; }

    public Dictionary<string, ResourceQuantity>? Limits { get; init; }
}

/// <summary>spec.template: what every node launched gets.</summary>
internal sealed class NodeClaimTemplate
{
    public NodeClaimTemplateMetadata? Metadata { get; init; }

    public required NodeClaimTemplateSpec Spec { get; init; }
}

/// <summary>spec.template.metadata: node labels and annotations.</summary>
internal sealed class NodeClaimTemplateMetadata
{
    public Dictionary<string, string>? Labels { get; init; }
}

/// <summary>spec.template.spec.</summary>
internal sealed class NodeClaimTemplateSpec
{
    public required List<V1NodeSelectorRequirement> Requirements { get; init; }

    public required NodeClassReference NodeClassRef { get; init; }

    public List<V1Taint>? Taints { get; init; }

    public string? ExpireAfter { get; init; }

    public string? TerminationGracePeriod { get; init; }
}

/// <summary>spec.template.spec.nodeClassRef.</summary>
internal sealed class NodeClassReference
{
    public required string Group { get; init; }

    public required string Kind { get; init; }

    public required string Name { get; init; }
}

/// <summary>spec.disruption.</summary>
internal sealed class NodePoolDisruption
{
    public string? ConsolidationPolicy { get; init; }

    public string? ConsolidateAfter { get; init; }

    public List<NodePoolDisruptionBudget>? Budgets { get; init; }
}

/// <summary>spec.disruption.budgets[]: at most <c>nodes</c> disrupted at once, for the reasons listed (all when none), while the schedule is active (always when none).</summary>
internal sealed class NodePoolDisruptionBudget
{
    public required string Nodes { get; init; }

    public List<string>? Reasons { get; init; }

    public string? Schedule { get; init; }

    public string? Duration { get; init; }
}
