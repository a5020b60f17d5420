namespace DisaggServing.Router.Configuration;

/// <summary>The <c>Router</c> configuration section (environment: <c>Router__Key</c>). Every key is listed in the README.</summary>
public sealed class RouterOptions
{
    /// <summary>Configuration section name.</summary>
    public const string SectionName = "Router";

    /// <summary>Listening port when ASPNETCORE_URLS / --urls is not given (vLLM's 8000).</summary>
    public int Port { get; set; } = 8000;

    /// <summary>Listening address when ASPNETCORE_URLS / --urls is not given.</summary>
    public string Host { get; set; } = "0.0.0.0";

    /// <summary>Served model id; when empty, learned from the workers' <c>/v1/models</c>.</summary>
    public string? Model { get; set; }

    /// <summary>Prefill worker base URLs or <c>dns:///host:port</c> entries; when given, discovery does not change the prefill pool.</summary>
    public List<string> Prefill { get; set; } = [];

    /// <summary>Decode worker base URLs or <c>dns:///host:port</c> entries; when given, discovery does not change the decode pool.</summary>
    public List<string> Decode { get; set; } = [];

    /// <summary>How often the <c>dns:///</c> entries of <c>Prefill</c> and <c>Decode</c> are resolved again.</summary>
    public int DnsRefreshIntervalMs { get; set; } = 5000;

    /// <summary>KV-transfer service (h2c gRPC): engine discovery and the KV prefix index; empty = neither.</summary>
    public string? KvTransferUrl { get; set; }

    /// <summary>How often the engine registry is listed.</summary>
    public int DiscoveryIntervalMs { get; set; } = 2000;

    /// <summary>P/D decider settings.</summary>
    public DeciderOptions Decider { get; set; } = new();

    /// <summary>Accepted Bearer keys on <c>/v1/*</c>; empty = no authentication.</summary>
    public List<string> ApiKeys { get; set; } = [];

    /// <summary>Bearer key the router sends to workers (vLLM's proxy sends OPENAI_API_KEY); empty = none.</summary>
    public string? WorkerApiKey { get; set; }

    /// <summary>Largest accepted request body; larger gets 413.</summary>
    public long MaxBodyBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Largest accepted max_tokens / max_completion_tokens; 0 = no cap beyond the context.</summary>
    public int MaxTokens { get; set; }

    /// <summary>Context length (prompt + max_tokens); 0 = the workers' max_model_len when they report one.</summary>
    public int MaxContextTokens { get; set; }

    /// <summary>How often the workers' <c>/metrics</c> are scraped for least-load; 0 = never (registry load is used).</summary>
    public int MetricsScrapeIntervalMs { get; set; } = 1000;

    /// <summary>How often the workers' <c>/health</c> is probed; 0 = never.</summary>
    public int HealthCheckIntervalMs { get; set; } = 2000;

    /// <summary>How long a <c>/health</c> probe waits for an answer.</summary>
    public int HealthCheckTimeoutMs { get; set; } = 2000;

    /// <summary>
    /// Probes in a row left unanswered (timed out) before an engine is marked unhealthy, as Kubernetes' readiness
    /// failureThreshold (3) does: a busy host answering late is not a dead engine. A refused connection or a non-2xx
    /// answer marks it unhealthy at once.
    /// </summary>
    public int HealthCheckFailureThreshold { get; set; } = 3;

    /// <summary>How long an endpoint that failed a call is kept out by the health filter.</summary>
    public int ErrorCooldownMs { get; set; } = 5000;

    /// <summary>Tokens per KV block for prefix hashing (must match the engines').</summary>
    public int BlockSize { get; set; } = Protocol.Kv.KvBlockHasher.DefaultBlockSize;

    /// <summary>
    /// <c>Router:Tokenizers:i:Model</c> / <c>…:TiktokenFile</c>: a served model's own vocabulary (a tiktoken rank file,
    /// e.g. Llama 3's <c>original/tokenizer.model</c>), so prompt hashes match the blocks real vLLM engines report;
    /// models not listed are tokenized with the bundled cl100k fallback.
    /// </summary>
    public List<TokenizerFileOptions> Tokenizers { get; set; } = [];

    /// <summary>The routing-history prefix estimate for engines without KV events.</summary>
    public ApproximatePrefixOptions ApproximatePrefix { get; set; } = new();

    /// <summary>Deadline of one KV-index lookup; on timeout the request is scheduled without prefix data.</summary>
    public int PrefixLookupTimeoutMs { get; set; } = 100;

    /// <summary>Deadline of a whole prefill call (then it counts as failed: retry, then decode-only).</summary>
    public int PrefillTimeoutMs { get; set; } = 60_000;

    /// <summary>Deadline for a decode engine's response headers (a stream's body has none).</summary>
    public int DecodeTimeoutMs { get; set; } = 300_000;

    /// <summary>Free a prefill's leased KV at once (KvPeer.ReleaseLease) when no decode engine took the request.</summary>
    public bool ReleaseAbandonedLeases { get; set; } = true;

    /// <summary>Retries, migration and lease reuse when engines fail or drain.</summary>
    public ResilienceOptions Resilience { get; set; } = new();

    /// <summary>TCP connect deadline for engine calls; a call that cannot connect in time reached no engine, so it is retried on another, as a refused one is.</summary>
    public int ConnectTimeoutMs { get; set; } = 2000;

    /// <summary>The admission queue: concurrency, per-tenant fairness, priority, load shedding.</summary>
    public FlowControl.FlowControlOptions FlowControl { get; set; } = new();
}
