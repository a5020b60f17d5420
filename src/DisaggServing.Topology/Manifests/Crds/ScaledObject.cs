using k8s.Models;

namespace DisaggServing.Topology.Manifests.Crds;

// KEDA ScaledObject (keda.sh/v1alpha1), the fields this project writes; names as in keda.sh_scaledobjects.yaml.

/// <summary>A ScaledObject: KEDA runs an HPA for its target from its triggers.</summary>
internal sealed class ScaledObject
{
    public string ApiVersion { get; init; } = "keda.sh/v1alpha1";

    public string Kind { get; init; } = "ScaledObject";

    public required V1ObjectMeta Metadata { get; init; }

    public required ScaledObjectSpec Spec { get; init; }
}

/// <summary>spec of a ScaledObject.</summary>
internal sealed class ScaledObjectSpec
{
    public required ScaleTargetRef ScaleTargetRef { get; init; }

    public int? PollingInterval { get; init; }

    public int? MinReplicaCount { get; init; }

    public int? MaxReplicaCount { get; init; }

    public ScaledObjectAdvanced? Advanced { get; init; }

    public required List<ScaleTrigger> Triggers { get; init; }
}

/// <summary>spec.scaleTargetRef: any object with a scale subresource.</summary>
internal sealed class ScaleTargetRef
{
    public required string ApiVersion { get; init; }

    public required string Kind { get; init; }

    public required string Name { get; init; }
}

/// <summary>spec.advanced.</summary>
internal sealed class ScaledObjectAdvanced
{
    public HorizontalPodAutoscalerConfig? HorizontalPodAutoscalerConfig { get; init; }
}

/// <summary>spec.advanced.horizontalPodAutoscalerConfig.</summary>
internal sealed class HorizontalPodAutoscalerConfig
{
    public V2HorizontalPodAutoscalerBehavior? Behavior { get; init; }
}

/// <summary>spec.triggers[].</summary>
internal sealed class ScaleTrigger
{
    public required string Type { get; init; }

    public string? Name { get; init; }

    public string? MetricType { get; init; }

    public required Dictionary<string, string> Metadata { get; init; }
}
