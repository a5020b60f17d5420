namespace DisaggServing.Topology.Manifests.Crds;

/// <summary>kustomization.yaml: the files <c>kubectl apply -k</c> applies.</summary>
internal sealed class Kustomization
{
    public string ApiVersion { get; init; } = "kustomize.config.k8s.io/v1beta1";

    public string Kind { get; init; } = "Kustomization";

    public required List<string> Resources { get; init; }
}
