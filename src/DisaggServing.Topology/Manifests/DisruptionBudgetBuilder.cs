using k8s.Models;

namespace DisaggServing.Topology.Manifests;

/// <summary>
/// PodDisruptionBudgets: voluntary evictions (node drains, Karpenter's consolidation and drift) take at most one pod
/// of the router, and of an engine pool, at a time.
/// </summary>
internal static class DisruptionBudgetBuilder
{
    /// <summary>
    /// An engine pool's budget: <c>maxUnavailable: 1</c> over all its pods. For a LeaderWorkerSet pool that means one
    /// group at a time: evicting one pod recreates its whole group (RecreateGroupOnPodRestart), and while any pod of
    /// that group is not ready the budget allows no further eviction. (A <c>minAvailable</c> in whole groups would
    /// wedge drains of a single-group pool and cannot follow an autoscaled group count.) Pods that are not ready, e.g.
    /// still loading the model, may always be evicted, so a stuck pod never blocks a drain.
    /// </summary>
    public static V1PodDisruptionBudget ForPool(ManifestContext context, TopologyPool pool)
    {
        var labels = context.PoolLabels(pool);
        return Build(context, pool.Name, labels);
    }

    /// <summary>The router's budget: one replica at a time, so with two or more the front door stays up through a drain.</summary>
    public static V1PodDisruptionBudget ForRouter(ManifestContext context, Dictionary<string, string> routerLabels) =>
        Build(context, ControlPlaneBuilder.RouterName, routerLabels);

    private static V1PodDisruptionBudget Build(ManifestContext context, string name, Dictionary<string, string> labels) => new()
    {
        ApiVersion = "policy/v1",
        Kind = "PodDisruptionBudget",
        Metadata = EngineWorkloadBuilder.Meta(context, name, labels),
        Spec = new V1PodDisruptionBudgetSpec
        {
            MaxUnavailable = 1,
            Selector = new V1LabelSelector { MatchLabels = Labels.Selector(labels) },
            UnhealthyPodEvictionPolicy = "AlwaysAllow",
        },
    };
}
