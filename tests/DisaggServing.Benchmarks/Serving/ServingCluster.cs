namespace DisaggServing.Benchmarks.Serving;

/// <summary>
/// Starts the processes a serving benchmark needs, all on loopback: workers in instant-engine mode (zero step and
/// link time, so only software overhead is left), routers over them, and the YARP baseline. Disposing stops them all.
/// </summary>
internal sealed class ServingCluster(string logDirectory) : IAsyncDisposable
{
    public const string Model = "meta-llama/Llama-3.3-70B-Instruct";
    private readonly List<ServiceProcess> processes = [];

    public string LogDirectory { get; } = logDirectory;

    /// <summary>A worker of <paramref name="role"/> (prefill | decode | both) with an instant engine; <paramref name="dll"/> runs another build of it.</summary>
    public Task<ServiceProcess> WorkerAsync(string name, string role, IReadOnlyDictionary<string, string>? extra = null, string? dll = null)
    {
        var port = ServiceHosts.FreePort();
        var environment = new Dictionary<string, string>
        {
            ["Worker__Role"] = role,
            ["Worker__EngineId"] = name,
            ["Worker__Model"] = Model,
            ["Worker__Gpu"] = "h100-sxm",
            ["Worker__InstantEngine"] = "true",
            ["Worker__MaxNumSeqs"] = "1024",
            ["Worker__AdvertisedHost"] = "127.0.0.1",
            ["Worker__HttpPort"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
            environment[key] = value;
        return Add(ServiceProcess.StartAsync(name, dll ?? ServiceHosts.WorkerDll, Url(port), environment, LogDirectory));
    }

    /// <summary>Our router over <paramref name="decode"/> and, when given, <paramref name="prefill"/> (then always P/D).</summary>
    public Task<ServiceProcess> RouterAsync(string name, ServiceProcess decode, ServiceProcess? prefill)
    {
        var port = ServiceHosts.FreePort();
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_URLS"] = Url(port).ToString(),
            ["Router__Decode__0"] = decode.BaseUrl.ToString(),
        };
        if (prefill is not null)
        {
            environment["Router__Prefill__0"] = prefill.BaseUrl.ToString();
            environment["Router__Decider__MinUncachedTokens"] = "0";
        }
        return Add(ServiceProcess.StartAsync(name, ServiceHosts.RouterDll, Url(port), environment, LogDirectory));
    }

    /// <summary>Plain YARP in front of <paramref name="target"/>.</summary>
    public Task<ServiceProcess> YarpAsync(string name, ServiceProcess target)
    {
        var port = ServiceHosts.FreePort();
        return Add(ServiceProcess.StartAsync(name, ServiceHosts.BenchmarksDll, Url(port), new Dictionary<string, string>(), LogDirectory,
            ["yarp-proxy", port.ToString(System.Globalization.CultureInfo.InvariantCulture), target.BaseUrl.ToString()]));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in processes)
            await process.DisposeAsync().ConfigureAwait(false);
        processes.Clear();
    }

    private static Uri Url(int port) => new($"http://127.0.0.1:{port}/");

    private async Task<ServiceProcess> Add(Task<ServiceProcess> starting)
    {
        var process = await starting.ConfigureAwait(false);
        processes.Add(process);
        return process;
    }
}
