namespace DisaggServing.Protocol;

/// <summary>HTTP header names shared by router, workers and tools.</summary>
public static class HeaderNames
{
    /// <summary>Request id, the same on the router's prefill and decode calls (vLLM's proxy sends it).</summary>
    public const string RequestId = "X-Request-Id";

    /// <summary>Bearer API key.</summary>
    public const string Authorization = "Authorization";

    /// <summary>
    /// Set by a draining engine (SIGTERM received) on the 503 it gives new requests, with the error code
    /// <c>engine_draining</c>: the router retries the request elsewhere at once and stops routing to the engine.
    /// </summary>
    public const string Draining = "X-Disagg-Draining";

    /// <summary>Set by the router on its responses: which prefill engine served the request, if any.</summary>
    public const string PrefillEngine = "X-Disagg-Prefill-Engine";

    /// <summary>Set by the router on its responses: which decode engine served the request.</summary>
    public const string DecodeEngine = "X-Disagg-Decode-Engine";

    /// <summary>Set by the router: pd or decode-only.</summary>
    public const string Route = "X-Disagg-Route";

    /// <summary>
    /// W3C Server-Timing, set by the router on P/D responses: <c>prefill;dur=MS</c> is the time from the router
    /// receiving the request to the prefill response, so a client can tell the P/D hand-over from its TTFT.
    /// </summary>
    public const string ServerTiming = "Server-Timing";
}
