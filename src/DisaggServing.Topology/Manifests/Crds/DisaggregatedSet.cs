using k8s.Models;

namespace DisaggServing.Topology.Manifests.Crds;

// DisaggregatedSet (disaggregatedset.x-k8s.io/v1): one LeaderWorkerSet per role, rolled out together.

/// <summary>A DisaggregatedSet holding the prefill and decode roles.</summary>
internal sealed class DisaggregatedSet
{
    public string ApiVersion { get; init; } = "disaggregatedset.x-k8s.io/v1";

    public string Kind { get; init; } = "DisaggregatedSet";

    public required V1ObjectMeta Metadata { get; init; }

    public required DisaggregatedSetSpec Spec { get; init; }
}

/// <summary>spec of a DisaggregatedSet.</summary>
internal sealed class DisaggregatedSetSpec
{
    /// <summary>How a slice's roles are co-located; the controller injects the pod affinity itself.</summary>
    public DisaggregatedPlacementPolicy? PlacementPolicy { get; init; }

    public required List<DisaggregatedRole> Roles { get; init; }
}

/// <summary>spec.placementPolicy: <c>ExclusiveSlice</c> keeps each slice (all its roles) in one domain of <see cref="Topology"/>.</summary>
internal sealed class DisaggregatedPlacementPolicy
{
    public required string Type { get; init; }

    public required string Topology { get; init; }
}

/// <summary>spec.roles[]: a named LeaderWorkerSet template.</summary>
internal sealed class DisaggregatedRole
{
    public required string Name { get; init; }

    public DisaggregatedRoleMetadata? Metadata { get; init; }

    /// <summary>
    /// <c>External</c> hands the role's replica count to the DisaggregatedSetRoleScaler the controller creates
    /// (<c>&lt;set&gt;-&lt;role&gt;</c>, with a scale subresource), which an autoscaler writes; null is inline (Static).
    /// </summary>
    public DisaggregatedRoleScaling? Scaling { get; set; }

    public required LeaderWorkerSetSpec Spec { get; init; }
}

/// <summary>spec.roles[].scaling.</summary>
internal sealed class DisaggregatedRoleScaling
{
    public required string Mode { get; init; }
}

/// <summary>spec.roles[].metadata: labels of the LeaderWorkerSet made from the role.</summary>
internal sealed class DisaggregatedRoleMetadata
{
    public Dictionary<string, string>? Labels { get; init; }
}
