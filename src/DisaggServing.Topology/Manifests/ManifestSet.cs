namespace DisaggServing.Topology.Manifests;

/// <summary>Every file a topology publishes, kustomization.yaml last.</summary>
/// <param name="Topology">Name of the topology.</param>
/// <param name="Files">The files, in kustomization order.</param>
public sealed record ManifestSet(string Topology, IReadOnlyList<ManifestFile> Files)
{
    /// <summary>The file named <paramref name="name"/>, or null.</summary>
    public ManifestFile? this[string name] => Files.FirstOrDefault(f => f.Name == name);
}
