namespace DisaggServing.Router.FlowControl;

/// <summary>
/// <c>Router:FlowControl</c>: the admission queue in front of scheduling. The defaults admit at once under normal load
/// (the queue only forms when the decode engines are full) and bound what an overload can make the router hold.
/// </summary>
public sealed class FlowControlOptions
{
    /// <summary>Lowest accepted priority header value.</summary>
    public const int MinPriority = -1000;

    /// <summary>Highest accepted priority header value.</summary>
    public const int MaxPriority = 1000;

    /// <summary>Off: every request is dispatched at once, as without flow control.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Requests the router dispatches at once in all; 0 = routable decode engines × <see cref="PerEngineConcurrency"/>.</summary>
    public int MaxConcurrency { get; set; }

    /// <summary>
    /// Requests per routable decode engine when <see cref="MaxConcurrency"/> is 0: vLLM's <c>--max-num-seqs</c> (the
    /// topology's default 256), so an engine gets a full batch and the rest wait in the router, where fairness applies.
    /// </summary>
    public int PerEngineConcurrency { get; set; } = 256;

    /// <summary>An engine with at least this many waiting requests is saturated (llm-d's saturation detector: 5); 0 = ignore.</summary>
    public int QueueDepthThreshold { get; set; } = 5;

    /// <summary>An engine at or above this KV-cache usage (0–1) is saturated (llm-d: 0.8); 0 = ignore.</summary>
    public double KvCacheThreshold { get; set; } = 0.8;

    /// <summary>Most requests waiting in the queue; a full queue sheds (429). 0 = no queue: shed whenever there is no room.</summary>
    public int MaxQueueLength { get; set; } = 1024;

    /// <summary>Most bytes of request bodies held by waiting requests.</summary>
    public long MaxQueueBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Longest a request waits to be dispatched before it is shed (429); 0 = no limit but the client's own deadline.</summary>
    public int MaxQueueWaitMs { get; set; } = 60_000;

    /// <summary>Request header with an integer priority, higher first (Gateway API Inference Extension's semantics: 0 when absent, negative = sheddable).</summary>
    public string PriorityHeader { get; set; } = "x-request-priority";

    /// <summary>Request header with the milliseconds the client will wait to be dispatched; a wait estimated longer is shed at once.</summary>
    public string DeadlineHeader { get; set; } = "x-request-deadline-ms";

    /// <summary>
    /// Request header naming the tenant (e.g. <c>x-gateway-inference-fairness-id</c> behind a trusted gateway); empty =
    /// the tenant is the client's API key, and requests without one share the tenant <c>anonymous</c>.
    /// </summary>
    public string? TenantHeader { get; set; }

    /// <summary>The first setting that is out of range, as a message naming the key and the fix; null when all are valid.</summary>
    public string? Problem()
    {
        const string Prefix = "Router:FlowControl:";
        if (MaxConcurrency < 0) return $"{Prefix}MaxConcurrency is {MaxConcurrency}; give 0 (derived from the decode engines) or a positive number of requests.";
        if (PerEngineConcurrency <= 0) return $"{Prefix}PerEngineConcurrency is {PerEngineConcurrency}; give a positive number of requests (vLLM's --max-num-seqs).";
        if (QueueDepthThreshold < 0) return $"{Prefix}QueueDepthThreshold is {QueueDepthThreshold}; give 0 (ignore waiting requests) or a positive count.";
        if (!(KvCacheThreshold >= 0)) return $"{Prefix}KvCacheThreshold is {KvCacheThreshold}; give 0 (ignore KV usage) or a fraction such as 0.8.";
        if (MaxQueueLength < 0) return $"{Prefix}MaxQueueLength is {MaxQueueLength}; give 0 (no queue) or a positive number of requests.";
        if (MaxQueueBytes <= 0) return $"{Prefix}MaxQueueBytes is {MaxQueueBytes}; give a positive number of bytes.";
        if (MaxQueueWaitMs < 0) return $"{Prefix}MaxQueueWaitMs is {MaxQueueWaitMs}; give 0 (no limit) or a positive number of milliseconds.";
        if (string.IsNullOrWhiteSpace(PriorityHeader)) return $"{Prefix}PriorityHeader is empty; give a header name such as x-request-priority.";
        if (string.IsNullOrWhiteSpace(DeadlineHeader)) return $"{Prefix}DeadlineHeader is empty; give a header name such as x-request-deadline-ms.";
        return null;
    }
}
