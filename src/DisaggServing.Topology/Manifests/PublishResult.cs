using DisaggServing.Topology.Preflight;

namespace DisaggServing.Topology.Manifests;

/// <summary>What <see cref="ManifestWriter.Publish(TopologySpec, string)"/> did.</summary>
/// <param name="Preflight">The preflight findings; with errors nothing was written.</param>
/// <param name="Directory">The output directory.</param>
/// <param name="Files">Names of the files written (empty when preflight failed).</param>
public sealed record PublishResult(PreflightReport Preflight, string Directory, IReadOnlyList<string> Files)
{
    /// <summary>True when the manifests were written.</summary>
    public bool Written => !Preflight.HasErrors;
}
