namespace DisaggServing.Protocol;

/// <summary>
/// Prometheus metric names. Engine metrics use vLLM's exact names so dashboards and routers built for vLLM
/// (llm-d, production-stack) read our workers unchanged; counters carry the <c>_total</c> suffix as exposed.
/// </summary>
public static class MetricNames
{
    /// <summary>Gauge: requests in the running batch.</summary>
    public const string NumRequestsRunning = "vllm:num_requests_running";

    /// <summary>Gauge: requests waiting for admission.</summary>
    public const string NumRequestsWaiting = "vllm:num_requests_waiting";

    /// <summary>Gauge: fraction of KV blocks in use (0..1).</summary>
    public const string KvCacheUsagePerc = "vllm:kv_cache_usage_perc";

    /// <summary>Histogram: time to first token, seconds.</summary>
    public const string TimeToFirstToken = "vllm:time_to_first_token_seconds";

    /// <summary>Histogram: inter-token latency, seconds.</summary>
    public const string InterTokenLatency = "vllm:inter_token_latency_seconds";

    /// <summary>Histogram: end-to-end request latency, seconds.</summary>
    public const string E2eRequestLatency = "vllm:e2e_request_latency_seconds";

    /// <summary>Counter: prompt tokens processed.</summary>
    public const string PromptTokens = "vllm:prompt_tokens_total";

    /// <summary>Counter: tokens generated.</summary>
    public const string GenerationTokens = "vllm:generation_tokens_total";

    /// <summary>Counter: finished requests, label finished_reason.</summary>
    public const string RequestSuccess = "vllm:request_success_total";

    /// <summary>Counter: preemptions.</summary>
    public const string NumPreemptions = "vllm:num_preemptions_total";

    /// <summary>Counter: prefix-cache lookups, in tokens.</summary>
    public const string PrefixCacheQueries = "vllm:prefix_cache_queries_total";

    /// <summary>Counter: prefix-cache hits, in tokens.</summary>
    public const string PrefixCacheHits = "vllm:prefix_cache_hits_total";

    /// <summary>Histogram: KV transfer (NIXL) time, seconds.</summary>
    public const string NixlXferTime = "vllm:nixl_xfer_time_seconds";

    /// <summary>Counter: KV bytes transferred.</summary>
    public const string NixlBytesTransferred = "vllm:nixl_bytes_transferred_total";

    /// <summary>Counter: failed KV transfers.</summary>
    public const string NixlNumFailedTransfers = "vllm:nixl_num_failed_transfers_total";

    /// <summary>Counter: prefill leases that expired before decode pulled them.</summary>
    public const string NixlNumKvExpiredReqs = "vllm:nixl_num_kv_expired_reqs_total";

    /// <summary>Gauge (ours): KV blocks in use.</summary>
    public const string KvBlocksUsed = "disagg:kv_blocks_used";

    /// <summary>Gauge (ours): prefill leases open.</summary>
    public const string KvLeasesOpen = "disagg:kv_leases_open";

    /// <summary>Counter (ours): requests served, label phase = prefill | decode | both.</summary>
    public const string RequestsByPhase = "disagg:requests_total";
}
