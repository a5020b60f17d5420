using DisaggServing.Protocol.Kv;

namespace DisaggServing.KvTransfer.KvEvents;

/// <summary>
/// Configuration section <c>KvTransfer:KvEvents</c>: which vLLM engines' ZMQ KV-event publishers to subscribe to.
/// Environment form: <c>KvTransfer__KvEvents__Publishers__0__EngineId</c>, <c>KvTransfer__KvEvents__Services__0</c>, ….
/// </summary>
public sealed class KvEventsOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "KvTransfer:KvEvents";

    /// <summary>Engines listed one by one (local runs, fixed hosts).</summary>
    public List<KvEventPublisherOptions> Publishers { get; set; } = [];

    /// <summary>
    /// <c>dns:///&lt;headless service&gt;:&lt;kv-events port&gt;</c> entries (Kubernetes): resolved every
    /// <see cref="ResolveIntervalSeconds"/>, one subscription per pod IP, engine id <c>&lt;podIP&gt;:&lt;EnginePort&gt;</c>.
    /// </summary>
    public List<string> Services { get; set; } = [];

    /// <summary><c>EnginePort</c>: the engines' HTTP port, for the engine ids of <see cref="Services"/> (required with them).</summary>
    public int? EnginePort { get; set; }

    /// <summary><c>ReplayPort</c>: the engines' replay port for <see cref="Services"/> entries; unset = no replay.</summary>
    public int? ReplayPort { get; set; }

    /// <summary><c>ResolveIntervalSeconds</c>: how often <see cref="Services"/> are resolved again (default 10).</summary>
    public double ResolveIntervalSeconds { get; set; } = 10;

    /// <summary><c>Topic</c>: the ZMQ subscription prefix; empty (default) takes every topic.</summary>
    public string Topic { get; set; } = "";

    /// <summary>
    /// <c>HashAlgorithm</c>: the block hash the index keys by (<c>sha256</c>, vLLM's default, or <c>sha256_cbor</c>); must
    /// match the router's and the simulated workers' (both use the default). Engines may run any: chains are rebuilt from tokens.
    /// </summary>
    public string HashAlgorithm { get; set; } = KvBlockHashAlgorithm.Sha256.VllmName();

    /// <summary><c>HashSeed</c>: the seed of that hash (vLLM's PYTHONHASHSEED); default "0".</summary>
    public string HashSeed { get; set; } = KvBlockHashScheme.DefaultSeed;

    /// <summary><c>ReplayTimeoutMs</c>: how long a replay request may take before the gap is resynced instead (default 1000).</summary>
    public int ReplayTimeoutMs { get; set; } = 1000;

    /// <summary>Whether any publisher is configured.</summary>
    public bool Any => Publishers.Count > 0 || Services.Count > 0;

    /// <summary>The hash scheme, validated.</summary>
    /// <exception cref="InvalidOperationException">The algorithm is not one of the supported names.</exception>
    public KvBlockHashScheme Scheme()
    {
        if (!KvBlockHashAlgorithms.TryParse(HashAlgorithm, out var algorithm))
            throw new InvalidOperationException($"KvTransfer:KvEvents:HashAlgorithm '{HashAlgorithm}' is not supported; use sha256 (vLLM's default) or sha256_cbor.");
        return algorithm == KvBlockHashScheme.Default.Algorithm && HashSeed == KvBlockHashScheme.Default.Seed
            ? KvBlockHashScheme.Default
            : new KvBlockHashScheme(algorithm, HashSeed);
    }

    /// <summary>Checks every entry, naming the key and the fix.</summary>
    /// <exception cref="InvalidOperationException">An entry is incomplete or not of the expected form.</exception>
    public void Validate()
    {
        for (var i = 0; i < Publishers.Count; i++)
        {
            var p = Publishers[i];
            var key = $"KvTransfer:KvEvents:Publishers:{i}";
            if (string.IsNullOrWhiteSpace(p.EngineId))
                throw new InvalidOperationException($"{key}:EngineId is required: the engine's HTTP host:port as the router dials it, e.g. 127.0.0.1:8101.");
            if (p.EngineId.Contains("://", StringComparison.Ordinal))
                throw new InvalidOperationException($"{key}:EngineId '{p.EngineId}' must be host:port without a scheme, e.g. 127.0.0.1:8101.");
            CheckZmqEndpoint(p.Endpoint, $"{key}:Endpoint");
            if (p.ReplayEndpoint is not null)
                CheckZmqEndpoint(p.ReplayEndpoint, $"{key}:ReplayEndpoint");
        }

        for (var i = 0; i < Services.Count; i++)
            _ = ParseService(Services[i], i);
        if (Services.Count > 0 && EnginePort is not (> 0 and <= 65535))
            throw new InvalidOperationException("KvTransfer:KvEvents:EnginePort (the engines' HTTP port, 1..65535) is required with KvTransfer:KvEvents:Services.");
        if (!(ResolveIntervalSeconds > 0))
            throw new InvalidOperationException($"KvTransfer:KvEvents:ResolveIntervalSeconds must be positive; it is {ResolveIntervalSeconds}.");
        _ = Scheme();
    }

    /// <summary>The host and port of <c>Services[index]</c>.</summary>
    /// <exception cref="InvalidOperationException">The entry is not <c>dns:///host:port</c>.</exception>
    public static (string Host, int Port) ParseService(string? entry, int index)
    {
        const string Prefix = "dns:///";
        var key = $"KvTransfer:KvEvents:Services:{index}";
        if (entry is null || !entry.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException($"{key} '{entry}' must be dns:///<headless service>:<kv-events port>, e.g. dns:///llama-decode-kv.default.svc.cluster.local:5557.");
        var rest = entry[Prefix.Length..];
        var colon = rest.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(rest[(colon + 1)..], out var port) || port is < 1 or > 65535)
            throw new InvalidOperationException($"{key} '{entry}' needs a port 1..65535 after the host, e.g. dns:///llama-decode-kv:5557.");
        return (rest[..colon], port);
    }

    private static void CheckZmqEndpoint(string? endpoint, string key)
    {
        if (string.IsNullOrWhiteSpace(endpoint)
            || !(endpoint.StartsWith("tcp://", StringComparison.Ordinal) || endpoint.StartsWith("ipc://", StringComparison.Ordinal) || endpoint.StartsWith("inproc://", StringComparison.Ordinal)))
            throw new InvalidOperationException($"{key} '{endpoint}' must be a ZMQ endpoint the engine publishes on, e.g. tcp://127.0.0.1:5601.");
    }
}
