namespace DisaggServing.Router.Configuration;

/// <summary><c>Router:Resilience</c>: how the router keeps requests alive when engines fail or drain.</summary>
public sealed class ResilienceOptions
{
    /// <summary>Decode engines tried for one request before its first byte reaches the client (connect error, reset, 5xx, draining).</summary>
    public int MaxDecodeAttempts { get; set; } = 3;

    /// <summary>
    /// How long after a prefill its <c>kv_transfer_params</c> may still be given to another decode engine (keep it below
    /// the engines' lease, <c>Worker:LeaseSeconds</c> or vLLM's <c>VLLM_NIXL_ABORT_REQUEST_TIMEOUT</c>); later, a retry
    /// prefills again.
    /// </summary>
    public int LeaseReuseMs { get; set; } = 10_000;

    /// <summary>Times one streamed request may move to another engine after its stream broke mid-way; 0 = never (the client gets an error event).</summary>
    public int MaxMigrations { get; set; } = 3;

    /// <summary>Largest non-streamed decode answer the router holds to retry it whole when it breaks.</summary>
    public int MaxBufferedResponseBytes { get; set; } = 16 * 1024 * 1024;
}
