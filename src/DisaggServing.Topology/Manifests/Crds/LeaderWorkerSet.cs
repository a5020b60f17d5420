using k8s.Models;

namespace DisaggServing.Topology.Manifests.Crds;

// LeaderWorkerSet (leaderworkerset.x-k8s.io/v1), the fields this project writes.

/// <summary>A LeaderWorkerSet: replicas of a leader pod plus size-1 worker pods, created and restarted as a group.</summary>
internal sealed class LeaderWorkerSet
{
    public string ApiVersion { get; init; } = "leaderworkerset.x-k8s.io/v1";

    public string Kind { get; init; } = "LeaderWorkerSet";

    public required V1ObjectMeta Metadata { get; init; }

    public required LeaderWorkerSetSpec Spec { get; init; }
}

/// <summary>spec of a LeaderWorkerSet (also a DisaggregatedSet role's spec).</summary>
internal sealed class LeaderWorkerSetSpec
{
    /// <summary>Groups; null (the CRD defaults 1) when an autoscaler owns the count, so a re-apply does not reset it.</summary>
    public int? Replicas { get; set; } = 1;

    public required LeaderWorkerTemplate LeaderWorkerTemplate { get; init; }
}

/// <summary>spec.leaderWorkerTemplate.</summary>
internal sealed class LeaderWorkerTemplate
{
    public int Size { get; init; } = 1;

    public string RestartPolicy { get; init; } = "RecreateGroupOnPodRestart";

    public V1PodTemplateSpec? LeaderTemplate { get; init; }

    public required V1PodTemplateSpec WorkerTemplate { get; init; }
}
