using k8s.Models;

namespace DisaggServing.Topology.Manifests;

/// <summary>The topology's Namespace.</summary>
internal static class NamespaceBuilder
{
    public static V1Namespace Build(TopologySpec spec) => new()
    {
        ApiVersion = "v1",
        Kind = "Namespace",
        Metadata = new V1ObjectMeta { Name = spec.Namespace, Labels = Labels.ForTopology(spec) },
    };
}
