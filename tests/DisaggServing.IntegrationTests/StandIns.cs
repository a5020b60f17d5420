using System.Globalization;
using System.Text;
using System.Text.Json;

namespace DisaggServing.IntegrationTests;

/// <summary>
/// Stand-ins for <c>nvidia-smi</c> and <c>vllm</c> in a directory to put first on PATH: nvidia-smi prints the queried
/// CSV for the GPUs given; vllm runs tests/DisaggServing.VllmStandIn (vLLM's argv in, the simulated Worker out), which
/// records each engine's argv, environment and requests under <see cref="Records"/>.
/// </summary>
public sealed class StandIns : IDisposable
{
    public StandIns(IEnumerable<string> gpuNames, double loadSeconds = 0, bool withNvidiaSmi = true)
    {
        Directory.CreateDirectory(Bin);
        Directory.CreateDirectory(Records);
        if (withNvidiaSmi)
        {
            var csv = new StringBuilder();
            var i = 0;
            foreach (var name in gpuNames)
            {
                var memory = name.Contains("40GB", StringComparison.Ordinal) ? 40960 : 81559;
                csv.Append(CultureInfo.InvariantCulture, $"{i}, {name}, {memory}, GPU-{i:x8}-0000-4000-8000-{i:x12}\n");
                i++;
            }
            // What nvidia-smi --query-gpu=index,name,memory.total,uuid --format=csv,noheader,nounits prints.
            Write("nvidia-smi", $"#!/bin/sh\ncat <<'CSV'\n{csv}CSV\n");
        }

        var dotnet = Environment.ProcessPath is { } host && Path.GetFileNameWithoutExtension(host) == "dotnet" ? host : "dotnet";
        Write("vllm", "#!/bin/sh\n"
            + $"export VLLM_STANDIN_RECORDS='{Records}'\n"
            + $"export VLLM_STANDIN_LOAD_SECONDS='{loadSeconds.ToString(CultureInfo.InvariantCulture)}'\n"
            + $"exec '{dotnet}' '{StandInDll}' \"$@\"\n");
    }

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "disagg-standins-" + Guid.NewGuid().ToString("N")[..12]);

    public string Bin => Path.Combine(Root, "bin");

    public string Records => Path.Combine(Root, "records");

    /// <summary>The stand-in's build output, beside this test assembly's configuration (Debug or Release).</summary>
    public static string StandInDll
    {
        get
        {
            var baseDir = AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar);
            var framework = Path.GetFileName(baseDir);
            var configuration = Path.GetFileName(Path.GetDirectoryName(baseDir)!);
            return Path.Combine(RepoRoot(), "tests", "DisaggServing.VllmStandIn", "bin", configuration, framework, "DisaggServing.VllmStandIn.dll");
        }
    }

    /// <summary>What the engine listening on <paramref name="port"/> was started with.</summary>
    public JsonElement Launch(int port) => JsonDocument.Parse(File.ReadAllText(Path.Combine(Records, $"{port}.json"))).RootElement;

    /// <summary>The completion requests the engine on <paramref name="port"/> received, oldest first.</summary>
    public List<JsonElement> Requests(int port)
    {
        var path = Path.Combine(Records, $"{port}.requests.jsonl");
        if (!File.Exists(path)) return [];
        return File.ReadAllLines(path).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement).ToList();
    }

    public static string RepoRoot([System.Runtime.CompilerServices.CallerFilePath] string path = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, "..", ".."));

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // An engine may still be writing its last record as the app stops.
        }
    }

    private void Write(string name, string text)
    {
        var path = Path.Combine(Bin, name);
        File.WriteAllText(path, text);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
    }
}
