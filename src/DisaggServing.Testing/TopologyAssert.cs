using System.Text;
using DisaggServing.Topology;
using DisaggServing.Topology.Manifests;
using DisaggServing.Topology.Preflight;

namespace DisaggServing.Testing;

/// <summary>Assertions on a topology before it runs anywhere: preflight, and the manifests it publishes.</summary>
public static class TopologyAssert
{
    /// <summary>The preflight rules find no error in <paramref name="topology"/> (and no warning unless <paramref name="allowWarnings"/>).</summary>
    public static PreflightReport PreflightClean(TopologySpec topology, bool allowWarnings = true)
    {
        ArgumentNullException.ThrowIfNull(topology);
        var report = TopologyPreflight.Run(topology);
        var failing = report.Findings.Where(f => f.Severity == PreflightSeverity.Error || (!allowWarnings && f.Severity == PreflightSeverity.Warning)).ToList();
        if (failing.Count > 0)
            throw new DisaggAssertionException(
                $"Preflight of topology '{topology.Name}' found {failing.Count} {(allowWarnings ? "error(s)" : "error(s) or warning(s)")}:\n"
                + string.Join('\n', failing.Select(f => "  " + f)));
        return report;
    }

    /// <summary>
    /// The manifests <paramref name="topology"/> publishes are exactly the files in <paramref name="committedDirectory"/>
    /// (the same names, the same text). The message lists missing and extra files and the first differing line of each
    /// changed one.
    /// </summary>
    public static void ManifestsMatch(TopologySpec topology, string committedDirectory)
    {
        ArgumentNullException.ThrowIfNull(topology);
        ArgumentException.ThrowIfNullOrWhiteSpace(committedDirectory);
        var directory = Path.GetFullPath(committedDirectory);
        if (!Directory.Exists(directory))
            throw new DisaggAssertionException($"The committed manifests directory {directory} does not exist; publish the topology into it (disagg manifests, or the AppHost's publish step) and commit it.");
        var published = ManifestBuilder.Build(topology).Files.ToDictionary(f => f.Name, f => f.Yaml, StringComparer.Ordinal);
        var committed = Directory.GetFiles(directory).ToDictionary(f => Path.GetFileName(f), f => File.ReadAllText(f), StringComparer.Ordinal);
        var problems = new StringBuilder();
        foreach (var name in published.Keys.Except(committed.Keys).Order(StringComparer.Ordinal))
            problems.Append($"\n  {name}: published, not committed");
        foreach (var name in committed.Keys.Except(published.Keys).Order(StringComparer.Ordinal))
            problems.Append($"\n  {name}: committed, no longer published");
        foreach (var name in published.Keys.Intersect(committed.Keys).Order(StringComparer.Ordinal))
        {
            if (FirstDifference(committed[name], published[name]) is { } diff) problems.Append($"\n  {name}: {diff}");
        }

        if (problems.Length > 0)
            throw new DisaggAssertionException(
                $"The manifests of topology '{topology.Name}' differ from {directory}:{problems}\nIf the change is intended, publish again into that directory and commit the result.");
    }

    private static string? FirstDifference(string committed, string published)
    {
        var a = committed.ReplaceLineEndings("\n").Split('\n');
        var b = published.ReplaceLineEndings("\n").Split('\n');
        for (var i = 0; i < Math.Max(a.Length, b.Length); i++)
        {
            var left = i < a.Length ? a[i] : "<end of file>";
            var right = i < b.Length ? b[i] : "<end of file>";
            if (left != right) return $"line {i + 1} committed '{left.Trim()}', published '{right.Trim()}'";
        }

        return null;
    }
}
