using DisaggServing.Topology;

namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// An Amazon EKS cluster as a compute environment: on publish its pipeline step runs preflight on
/// <see cref="Topology"/> and writes its manifests (Karpenter NodePools, Deployments or LeaderWorkerSets, Services,
/// a kustomization.yaml). Images are named by the topology, not built, so publishing needs no container runtime.
/// </summary>
/// <param name="name">Resource name.</param>
/// <param name="topology">The topology the manifests are written from.</param>
public sealed class EksEnvironmentResource(string name, TopologySpec topology) : Resource(name), IComputeEnvironmentResource
{
    /// <summary>The topology the manifests are written from.</summary>
    public TopologySpec Topology { get; } = topology;

    /// <summary>Name of the pipeline step that writes the manifests: <c>publish-</c> and the resource name.</summary>
    public string PublishStepName => $"publish-{Name}";
}
