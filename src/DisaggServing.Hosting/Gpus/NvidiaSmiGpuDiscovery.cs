using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;

namespace DisaggServing.Hosting.Gpus;

/// <summary>
/// Lists GPUs with <c>nvidia-smi --query-gpu=index,name,memory.total,uuid --format=csv,noheader,nounits</c>, the
/// command found on PATH (or <see cref="Command"/> when given a path).
/// </summary>
/// <param name="command">The nvidia-smi to run.</param>
/// <param name="timeout">How long nvidia-smi may take (a wedged driver can hang it); 30 s when null.</param>
public sealed class NvidiaSmiGpuDiscovery(string command = NvidiaSmiGpuDiscovery.DefaultCommand, TimeSpan? timeout = null) : IGpuDiscovery
{
    /// <summary>The command run when none is given.</summary>
    public const string DefaultCommand = "nvidia-smi";

    /// <summary>The query's arguments.</summary>
    public static IReadOnlyList<string> Arguments { get; } = ["--query-gpu=index,name,memory.total,uuid", "--format=csv,noheader,nounits"];

    /// <summary>The nvidia-smi run.</summary>
    public string Command { get; } = command;

    /// <inheritdoc />
    public IReadOnlyList<LocalGpu> Discover()
    {
        var start = new ProcessStartInfo(Command)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in Arguments) start.ArgumentList.Add(argument);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new GpuDiscoveryException($"{Command} did not start.");
        }
        catch (Win32Exception e)
        {
            throw new GpuDiscoveryException($"{Command} was not found on PATH ({e.Message})", e);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout ?? TimeSpan.FromSeconds(30)))
            {
                process.Kill(entireProcessTree: true);
                throw new GpuDiscoveryException($"{Command} did not answer within {(timeout ?? TimeSpan.FromSeconds(30)).TotalSeconds:0} s");
            }

            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                var said = FirstLine(stderr.Result) ?? FirstLine(stdout.Result) ?? "no output";
                throw new GpuDiscoveryException($"{Command} failed with exit code {process.ExitCode}: {said}");
            }

            return Parse(stdout.Result);
        }
    }

    /// <summary>
    /// Parses the query's CSV: one <c>index, name, memory.total, uuid</c> line per GPU (memory in MiB, or <c>[N/A]</c>).
    /// A name may itself hold commas; the index is the first field and the memory and UUID the last two.
    /// </summary>
    public static IReadOnlyList<LocalGpu> Parse(string csv)
    {
        ArgumentNullException.ThrowIfNull(csv);
        var gpus = new List<LocalGpu>();
        foreach (var raw in csv.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0) continue;
            var fields = line.Split(',').Select(f => f.Trim()).ToArray();
            if (fields[0] == "index") continue; // a header, should the format lose its noheader
            if (fields.Length < 4 || !int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                throw new GpuDiscoveryException($"nvidia-smi printed '{line}', not 'index, name, memory.total, uuid'");
            var name = string.Join(", ", fields[1..^2]);
            // MiB without units; "81559 MiB" should the format lose its nounits; "[N/A]" where the driver has no figure.
            var memoryText = fields[^2].EndsWith(" MiB", StringComparison.Ordinal) ? fields[^2][..^4] : fields[^2];
            long? memory = long.TryParse(memoryText, NumberStyles.None, CultureInfo.InvariantCulture, out var mib) ? mib : null;
            gpus.Add(new LocalGpu(index, name, memory, fields[^1]));
        }

        if (gpus.Select(g => g.Index).Distinct().Count() != gpus.Count)
            throw new GpuDiscoveryException($"nvidia-smi listed a GPU index twice: {string.Join(", ", gpus.Select(g => g.Index))}");
        return gpus.OrderBy(g => g.Index).ToList();
    }

    private static string? FirstLine(string text) =>
        text.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0);
}
