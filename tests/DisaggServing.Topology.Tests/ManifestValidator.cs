using System.Diagnostics;

namespace DisaggServing.Topology.Tests;

/// <summary>
/// The workspace's strict validator (../shared/tools/validate-manifests: Kubernetes 1.34 core schemas and the real
/// CRDs, KEDA ScaledObject and EC2NodeClass included), the one CI runs over manifests/.
/// </summary>
internal static class ManifestValidator
{
    public static string Tool { get; } = Path.GetFullPath(Path.Combine(RepoPaths.Root, "..", "shared", "tools", "validate-manifests", "validate-manifests"));

    /// <summary>True when the tool is there (CI, and the workspace it is developed in).</summary>
    public static bool Available => File.Exists(Tool);

    /// <summary>Runs the validator over <paramref name="directory"/>: its exit code and output.</summary>
    public static (int ExitCode, string Output) Run(string directory)
    {
        var start = new ProcessStartInfo(Tool, [directory]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5))) process.Kill(entireProcessTree: true);
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
