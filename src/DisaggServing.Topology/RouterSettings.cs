namespace DisaggServing.Topology;

/// <summary>The OpenAI front door that schedules requests onto prefill and decode engines.</summary>
public sealed class RouterSettings
{
    /// <summary>Router image, repository and tag (<c>dotnet publish src/DisaggServing.Router -t:PublishContainer</c> builds it); <see cref="EksSettings.Registry"/> is put in front.</summary>
    public string Image { get; set; } = "disaggserving/router:0.1.0";

    /// <summary>Router replicas.</summary>
    public int Replicas { get; set; } = 2;

    /// <summary>HTTP port of router pods (and of its Service).</summary>
    public int Port { get; set; } = 8080;

    /// <summary>Uncached prompt tokens below which a request skips prefill and goes to decode only.</summary>
    public int DecodeOnlyThresholdTokens { get; set; } = 256;

    /// <summary>Scorer weights of the router's decode and prefill profiles; null keeps the router's defaults.</summary>
    public RouterScorerWeights? Scorers { get; set; }

    /// <summary>
    /// Secret (in the topology's namespace) holding the Bearer keys clients must send, comma-separated
    /// (<c>Router__ApiKeys</c>); empty serves without authentication.
    /// </summary>
    public string ApiKeysSecret { get; set; } = "router-api-keys";

    /// <summary>Key of the keys in <see cref="ApiKeysSecret"/>.</summary>
    public string ApiKeysSecretKey { get; set; } = "api-keys";

    /// <summary>
    /// Start router pods even when <see cref="ApiKeysSecret"/> does not exist (then without authentication); by default
    /// they wait for it.
    /// </summary>
    public bool ApiKeysOptional { get; set; }

    /// <summary>
    /// Seconds a stopping router pod keeps serving before it is signalled (a <c>preStop</c> sleep), so that Services,
    /// kube-proxy and load balancers stop sending it new requests first.
    /// </summary>
    public int PreStopSeconds { get; set; } = 15;

    /// <summary>Seconds a signalled router lets in-flight requests (streams included) finish before it exits (the host's shutdown timeout).</summary>
    public int DrainSeconds { get; set; } = 90;
}
