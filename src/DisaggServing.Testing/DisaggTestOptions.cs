using System.Globalization;

namespace DisaggServing.Testing;

/// <summary>
/// How <see cref="DisaggApp"/> starts a topology: the simulated GPUs' speed-up, the router's port, the timeouts, and
/// any other AppHost configuration (<c>Topology:Pools:1:Replicas</c> = <c>3</c>), applied over the AppHost's own.
/// </summary>
public sealed class DisaggTestOptions
{
    /// <summary>
    /// <c>Topology:Local:SpeedFactor</c>: simulated engine steps run this many times faster than the performance model
    /// says, so tests wait less; null keeps the topology's. Live latencies are measured in wall time, so they shrink
    /// by this factor too.
    /// </summary>
    public double? SpeedFactor { get; set; } = 20;

    /// <summary><c>Topology:Router:Port</c>; 0 (the default) lets the system pick a free port, so test runs never collide.</summary>
    public int RouterPort { get; set; }

    /// <summary><c>Topology:KvTransfer:LeaseSeconds</c>: how long a prefill engine keeps KV blocks for a decode that never pulls them; null keeps the topology's.</summary>
    public int? LeaseSeconds { get; set; } = 30;

    /// <summary>Longest the whole topology may take to build, start and serve (generous: a loaded 2-core CI machine takes minutes).</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Longest one request of the kit's clients (router, workers) may take.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Longest a fault may take to show its effect (a process to exit, a worker to report the fault armed).</summary>
    public TimeSpan FaultTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Name of the router resource (the AppHost's <c>AddDisaggTopology</c> calls it <c>router</c>).</summary>
    public string RouterResource { get; set; } = "router";

    /// <summary>Name of the KV-transfer service resource.</summary>
    public string KvTransferResource { get; set; } = "kvtransfer";

    /// <summary>Log lines of each resource kept for failure messages.</summary>
    public int LogLines { get; set; } = 30;

    /// <summary>Further configuration of the AppHost, as <c>--key=value</c> arguments (later entries win), e.g. <c>["Topology:Pools:1:Replicas"] = "3"</c>.</summary>
    public Dictionary<string, string> Settings { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The AppHost's command line: the kit's settings first, then <see cref="Settings"/>, which override them.</summary>
    public string[] ToArgs()
    {
        Validate();
        var pairs = new List<KeyValuePair<string, string>>();
        if (SpeedFactor is { } speed) pairs.Add(new("Topology:Local:SpeedFactor", speed.ToString(CultureInfo.InvariantCulture)));
        pairs.Add(new("Topology:Router:Port", RouterPort.ToString(CultureInfo.InvariantCulture)));
        if (LeaseSeconds is { } lease) pairs.Add(new("Topology:KvTransfer:LeaseSeconds", lease.ToString(CultureInfo.InvariantCulture)));
        pairs.AddRange(Settings);
        return [.. pairs.Select(p => $"--{p.Key}={p.Value}")];
    }

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first option out of range and its accepted values.</summary>
    public void Validate()
    {
        if (SpeedFactor is { } speed && (!(speed > 0) || double.IsInfinity(speed)))
            throw new ArgumentException($"DisaggTestOptions.SpeedFactor must be a positive number (1 = real time), or null for the topology's; got {speed}.");
        if (RouterPort is < 0 or > 65535)
            throw new ArgumentException($"DisaggTestOptions.RouterPort must be 0 (any free port) or a port up to 65535; got {RouterPort}.");
        if (LeaseSeconds is < 1)
            throw new ArgumentException($"DisaggTestOptions.LeaseSeconds must be at least 1, or null for the topology's; got {LeaseSeconds}.");
        foreach (var (name, value) in new[] { ("StartTimeout", StartTimeout), ("RequestTimeout", RequestTimeout), ("FaultTimeout", FaultTimeout) })
        {
            if (value <= TimeSpan.Zero)
                throw new ArgumentException($"DisaggTestOptions.{name} must be positive; got {value}.");
        }

        if (LogLines < 0)
            throw new ArgumentException($"DisaggTestOptions.LogLines must be 0 or more; got {LogLines}.");
        foreach (var key in Settings.Keys.Where(k => string.IsNullOrWhiteSpace(k) || k.StartsWith('-') || k.Contains('=')))
            throw new ArgumentException($"DisaggTestOptions.Settings key '{key}' is not a configuration key; write it as Topology:Pools:1:Replicas, without dashes or '='.");
    }
}
