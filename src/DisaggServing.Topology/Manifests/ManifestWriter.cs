using DisaggServing.Engine;
using DisaggServing.Topology.Preflight;

namespace DisaggServing.Topology.Manifests;

/// <summary>
/// Writes manifest sets to disk atomically: into a fresh sibling directory first, then swapped in by rename, so the
/// output directory is always either the old set or the whole new one.
/// </summary>
public static class ManifestWriter
{
    /// <summary>Runs preflight on <paramref name="spec"/> and, when it has no errors, writes its manifests to <paramref name="directory"/>.</summary>
    public static PublishResult Publish(TopologySpec spec, string directory)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return Publish(ResolvedTopology.Resolve(spec), directory);
    }

    /// <summary>Runs preflight on an already resolved topology and, when it has no errors, writes its manifests to <paramref name="directory"/>.</summary>
    public static PublishResult Publish(ResolvedTopology topology, string directory)
    {
        ArgumentNullException.ThrowIfNull(topology);
        var report = TopologyPreflight.Run(topology);
        if (report.HasErrors) return new PublishResult(report, Path.GetFullPath(directory), []);
        var set = ManifestBuilder.Build(topology);
        Write(set, directory);
        return new PublishResult(report, Path.GetFullPath(directory), set.Files.Select(f => f.Name).ToList());
    }

    /// <summary>
    /// Replaces <paramref name="directory"/> with exactly the files of <paramref name="set"/>. A directory that exists
    /// must be empty or hold an earlier output (its kustomization.yaml starts with our header); anything else is
    /// refused with an <see cref="InputException"/> rather than deleted.
    /// </summary>
    public static void Write(ManifestSet set, string directory)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        var target = Path.GetFullPath(directory).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
        var parent = Path.GetDirectoryName(target) ?? throw new InputException($"Cannot write manifests to the root directory '{target}'; choose a subdirectory.");
        if (Directory.Exists(target) && !IsReplaceable(target))
            throw new InputException($"Output directory '{target}' is not empty and was not written by disagg; choose an empty or new directory.");

        Directory.CreateDirectory(parent);
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var staging = Path.Combine(parent, $".{Path.GetFileName(target)}.tmp-{suffix}");
        var previous = Path.Combine(parent, $".{Path.GetFileName(target)}.old-{suffix}");
        try
        {
            Directory.CreateDirectory(staging);
            foreach (var file in set.Files) File.WriteAllText(Path.Combine(staging, file.Name), file.Yaml);
            if (Directory.Exists(target)) Directory.Move(target, previous);
            Directory.Move(staging, target);
        }
        catch
        {
            if (!Directory.Exists(target) && Directory.Exists(previous)) Directory.Move(previous, target); // put the old set back
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
            throw;
        }

        if (Directory.Exists(previous)) Directory.Delete(previous, recursive: true);
    }

    private static bool IsReplaceable(string directory)
    {
        if (!Directory.EnumerateFileSystemEntries(directory).Any()) return true;
        var kustomization = Path.Combine(directory, "kustomization.yaml");
        return File.Exists(kustomization) && File.ReadLines(kustomization).FirstOrDefault()?.StartsWith("# " + ManifestBuilder.HeaderPrefix, StringComparison.Ordinal) == true;
    }
}
