using System.Diagnostics;

namespace DisaggServing.IntegrationTests;

/// <summary>
/// Real-engine mode on a machine whose GPUs cannot hold the topology: the AppHost process stops before starting
/// anything, exit code 1, with one line naming the GPUs needed and found.
/// </summary>
public sealed class VllmPreflightTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    [Theory]
    [InlineData(4, "NVIDIA H100 80GB HBM3", "but nvidia-smi found 4 GPUs (4 × NVIDIA H100 80GB HBM3), usable as 4 h100-sxm")]
    [InlineData(8, "NVIDIA A100-SXM4-40GB", "but nvidia-smi found 8 GPUs (8 × NVIDIA A100-SXM4-40GB), usable as 0 h100-sxm")]
    [InlineData(-1, "", "but the GPUs could not be listed: nvidia-smi was not found on PATH")]
    public async Task A_machine_without_the_gpus_the_topology_needs_stops_the_apphost(int gpus, string name, string found)
    {
        using var standIns = new StandIns(Enumerable.Repeat(name, Math.Max(0, gpus)), withNvidiaSmi: gpus >= 0);
        var (exit, stdout, stderr) = await RunAppHost(standIns, "--Topology:Local:Engine=Vllm", "--Topology:Router:Port=0");

        Assert.True(exit == 1, $"exit {exit}\n{stdout}\n{stderr}");
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.True(line.StartsWith("error: Topology 'local-70b' needs 8 GPUs (8 × h100-sxm, NVIDIA H100 SXM 80GB) to run on vLLM (Topology:Local:Engine=Vllm), ", StringComparison.Ordinal), line);
        Assert.Contains(found, line, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(standIns.Records)); // no engine was started
    }

    /// <summary>Runs the built AppHost as its own process with the stand-ins first on PATH (only them when there is no nvidia-smi).</summary>
    private static async Task<(int Exit, string Stdout, string Stderr)> RunAppHost(StandIns standIns, params string[] args)
    {
        var project = Projects.DisaggServing_AppHost.ProjectPath;
        var baseDir = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
        var projectDir = Directory.Exists(project) ? project : Path.GetDirectoryName(project)!;
        var dll = Path.Combine(projectDir, "bin", Path.GetFileName(Path.GetDirectoryName(baseDir)!), Path.GetFileName(baseDir), "DisaggServing.AppHost.dll");
        var start = new ProcessStartInfo(Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["PATH"] = File.Exists(Path.Combine(standIns.Bin, "nvidia-smi"))
            ? standIns.Bin + Path.PathSeparator + Environment.GetEnvironmentVariable("PATH")
            : standIns.Bin;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        return (process.ExitCode, await stdout, await stderr);
    }
}
