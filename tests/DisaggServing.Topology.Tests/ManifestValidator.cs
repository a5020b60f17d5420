using System.Diagnostics;

namespace DisaggServing.Topology.Tests;

/// <summary>
/// The strict manifest validator CI runs over manifests/ (Kubernetes 1.34 core schemas and the real CRDs, KEDA
/// ScaledObject and EC2NodeClass included), named by the <c>VALIDATE_MANIFESTS</c> environment variable (.ci/run sets it).
/// </summary>
internal static class ManifestValidator
{
    public static string? Tool { get; } = Environment.GetEnvironmentVariable("VALIDATE_MANIFESTS") is { Length: > 0 } path && File.Exists(path) ? path : null;

    /// <summary>True when the validator is configured (CI).</summary>
    public static bool Available => Tool is not null;

    /// <summary>Runs the validator over <paramref name="directory"/>: its exit code and output.</summary>
    public static (int ExitCode, string Output) Run(string directory)
    {
        var start = new ProcessStartInfo(Tool ?? throw new InvalidOperationException("VALIDATE_MANIFESTS is not set."), [directory])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5))) process.Kill(entireProcessTree: true);
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
