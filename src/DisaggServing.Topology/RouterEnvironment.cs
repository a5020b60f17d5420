using System.Globalization;

namespace DisaggServing.Topology;

/// <summary>
/// The router's configuration contract as environment variables (ASP.NET configuration, so <c>Router__Port</c> is
/// <c>Router:Port</c>; the router's README lists every key). One list for both places that launch the router: the
/// AppHost's local resource and the EKS manifests.
/// </summary>
public static class RouterEnvironment
{
    /// <summary>Listening port when no ASPNETCORE_URLS / HTTP_PORTS say one.</summary>
    public const string Port = "Router__Port";

    /// <summary>Kestrel's ports (the .NET container images' own variable); the manifests set it to the router port too.</summary>
    public const string HttpPorts = "ASPNETCORE_HTTP_PORTS";

    /// <summary>Served model id.</summary>
    public const string Model = "Router__Model";

    /// <summary>h2c URL of the KV-transfer service (engine discovery, KV prefix index).</summary>
    public const string KvTransferUrl = "Router__KvTransferUrl";

    /// <summary>
    /// The <c>Router:Scheduling:Profiles</c> keys of <paramref name="scorers"/>: per profile the health filter, the
    /// prefix-cache and least-load scorers at their weights, and the max-score picker.
    /// </summary>
    public static IEnumerable<KeyValuePair<string, string>> SchedulingProfiles(RouterScorerWeights scorers)
    {
        ArgumentNullException.ThrowIfNull(scorers);
        var profiles = scorers.ToProfiles();
        foreach (var profile in new[] { profiles.Decode, profiles.Prefill })
        {
            var prefix = $"Router__Scheduling__Profiles__{profile.Name}__";
            for (var i = 0; i < profile.Filters.Count; i++)
                yield return new($"{prefix}Filters__{i}", profile.Filters[i].Name);
            for (var i = 0; i < profile.Scorers.Count; i++)
            {
                yield return new($"{prefix}Scorers__{i}__Name", profile.Scorers[i].Name);
                yield return new($"{prefix}Scorers__{i}__Weight", profile.Scorers[i].Weight.ToString(CultureInfo.InvariantCulture));
            }
            yield return new($"{prefix}Picker", profile.Picker.Name);
        }
    }

    /// <summary>Uncached prompt tokens below which a request is decode-only.</summary>
    public const string MinUncachedTokens = "Router__Decider__MinUncachedTokens";

    /// <summary><c>false</c> for vLLM engines, which have no KvPeer side channel to release a lease over.</summary>
    public const string ReleaseAbandonedLeases = "Router__ReleaseAbandonedLeases";

    /// <summary>Bearer keys clients must send on <c>/v1/*</c>, comma-separated.</summary>
    public const string ApiKeys = "Router__ApiKeys";

    /// <summary>Bearer key the router sends to the engines (vLLM's <c>VLLM_API_KEY</c>).</summary>
    public const string WorkerApiKey = "Router__WorkerApiKey";

    /// <summary>Seconds the host lets in-flight requests finish after SIGTERM (.NET's host setting <c>shutdownTimeoutSeconds</c>).</summary>
    public const string ShutdownTimeoutSeconds = "DOTNET_SHUTDOWNTIMEOUTSECONDS";

    /// <summary>Requests per decode engine the router's flow control dispatches at once (the engines' <c>--max-num-seqs</c>).</summary>
    public const string FlowPerEngineConcurrency = "Router__FlowControl__PerEngineConcurrency";

    /// <summary>
    /// The <see cref="FlowPerEngineConcurrency"/> of <paramref name="spec"/>: the largest <c>--max-num-seqs</c> of its
    /// decode and colocated pools (the router's saturation check holds back where a smaller pool fills first); null
    /// when it has none.
    /// </summary>
    public static int? PerEngineConcurrency(TopologySpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var decode = spec.Pools.Where(p => p.Role != PoolRole.Prefill).Select(p => p.MaxNumSeqs).ToList();
        return decode.Count > 0 ? decode.Max() : null;
    }

    /// <summary>The key of the <paramref name="index"/>th prefill engine entry (a URL or <c>dns:///host:port</c>).</summary>
    public static string Prefill(int index) => "Router__Prefill__" + index.ToString(CultureInfo.InvariantCulture);

    /// <summary>The key of the <paramref name="index"/>th decode engine entry (colocated pools count as decode).</summary>
    public static string Decode(int index) => "Router__Decode__" + index.ToString(CultureInfo.InvariantCulture);
}
