namespace DisaggServing.Topology.Manifests;

/// <summary>One file of a manifest set: a group of objects applied together.</summary>
public sealed class ManifestFile
{
    internal ManifestFile(string name, string purpose, IReadOnlyList<object> objects, string header)
    {
        Name = name;
        Purpose = purpose;
        Objects = objects;
        Yaml = ManifestYaml.Serialize(objects, header);
    }

    /// <summary>File name, e.g. <c>nodepools.yaml</c>.</summary>
    public string Name { get; }

    /// <summary>What the file is for, in one line.</summary>
    public string Purpose { get; }

    /// <summary>The objects (KubernetesClient models and this library's NodePool, LeaderWorkerSet, DisaggregatedSet and Kustomization types).</summary>
    public IReadOnlyList<object> Objects { get; }

    /// <summary>The file's text: a comment line, then one YAML document per object.</summary>
    public string Yaml { get; }
}
