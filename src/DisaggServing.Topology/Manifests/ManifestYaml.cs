using k8s;

namespace DisaggServing.Topology.Manifests;

/// <summary>Objects to YAML with KubernetesClient's serializer: one document per object, LF line endings, stable text.</summary>
internal static class ManifestYaml
{
    public static string Serialize(IEnumerable<object> objects, string? header = null)
    {
        var documents = objects.Select(o => KubernetesYaml.Serialize(o).ReplaceLineEndings("\n").TrimEnd('\n') + "\n");
        var text = string.Join("---\n", documents);
        return header is null ? text : $"# {header}\n{text}";
    }
}
