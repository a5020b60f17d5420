using DisaggServing.Topology.Manifests.Crds;
using k8s.Models;

namespace DisaggServing.Topology.Manifests;

/// <summary>Per pool: a Deployment (one pod per replica) or a LeaderWorkerSet (PP pods per replica), and its Service.</summary>
internal static class EngineWorkloadBuilder
{
    public static V1Deployment Deployment(ManifestContext context, TopologyPool pool)
    {
        var labels = context.PoolLabels(pool);
        return new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = Meta(context, pool.Name, labels),
            Spec = new V1DeploymentSpec
            {
                Replicas = pool.Replicas,
                Selector = new V1LabelSelector { MatchLabels = Labels.Selector(labels) },
                // A GPU replica cannot surge onto GPUs that are not there: replace one at a time.
                Strategy = new V1DeploymentStrategy { Type = "RollingUpdate", RollingUpdate = new V1RollingUpdateDeployment { MaxSurge = "0", MaxUnavailable = "1" } },
                Template = EnginePodBuilder.Build(context, pool, EngineRank.Single),
            },
        };
    }

    public static LeaderWorkerSet LeaderWorkerSet(ManifestContext context, TopologyPool pool) => new()
    {
        Metadata = Meta(context, pool.Name, context.PoolLabels(pool)),
        Spec = GroupSpec(context, pool),
    };

    /// <summary>
    /// The LeaderWorkerSet spec of a pool (also a DisaggregatedSet role): size = PP, and the whole group recreated
    /// when one pod restarts, because NCCL peers cannot rejoin a running group.
    /// </summary>
    public static LeaderWorkerSetSpec GroupSpec(ManifestContext context, TopologyPool pool)
    {
        var multiPod = context.IsMultiPod(pool);
        return new LeaderWorkerSetSpec
        {
            Replicas = pool.Replicas,
            LeaderWorkerTemplate = new LeaderWorkerTemplate
            {
                Size = multiPod ? pool.EffectiveLwsSize : 1,
                RestartPolicy = "RecreateGroupOnPodRestart",
                LeaderTemplate = multiPod ? EnginePodBuilder.Build(context, pool, EngineRank.Leader) : null,
                WorkerTemplate = EnginePodBuilder.Build(context, pool, multiPod ? EngineRank.Worker : EngineRank.Single),
            },
        };
    }

    /// <summary>Headless, so the router resolves every (leader) pod and picks one itself instead of a load-balanced address.</summary>
    public static V1Service Service(ManifestContext context, TopologyPool pool)
    {
        var labels = context.PoolLabels(pool);
        var selector = Labels.Selector(labels);
        if (context.UsesGroups(pool)) selector[EnginePodBuilder.WorkerIndexLabel] = "0";
        return new V1Service
        {
            ApiVersion = "v1",
            Kind = "Service",
            Metadata = Meta(context, context.ServiceName(pool), labels),
            Spec = new V1ServiceSpec
            {
                ClusterIP = "None",
                Selector = selector,
                Ports = [new V1ServicePort { Name = "http", Port = context.Spec.Engine.Port, TargetPort = "http", Protocol = "TCP" }],
            },
        };
    }

    public static V1ObjectMeta Meta(ManifestContext context, string name, Dictionary<string, string> labels) =>
        new() { Name = name, NamespaceProperty = context.Spec.Namespace, Labels = new Dictionary<string, string>(labels) };
}
