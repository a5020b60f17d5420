namespace DisaggServing.Worker.Observability;

/// <summary>Worker-only metrics beside the shared <c>MetricNames</c> (which hold vLLM's names).</summary>
public static class WorkerMetricNames
{
    /// <summary>Counter: KV payload bytes actually moved (the real size × Worker:KvPayloadScale).</summary>
    public const string KvPayloadBytes = "disagg:kv_payload_bytes_total";

    /// <summary>
    /// Histogram: wall time of a successful KV pull's byte movement, seconds: from opening the stream to the last
    /// block verified (no simulated link time, no lease release).
    /// </summary>
    public const string KvPullCopyTime = "disagg:kv_pull_copy_seconds";

    /// <summary>Counter: KV pulls by outcome (success | failed).</summary>
    public const string KvPulls = "disagg:kv_pulls_total";

    /// <summary>Counter: KV pulls by the transport that carried the blocks (tcp: the raw data channel | grpc: PullBlocks).</summary>
    public const string KvPullTransport = "disagg:kv_pull_transport_total";

    /// <summary>Counter: remote KV loads that fell back to local prefill (kv_load_failure_policy recompute).</summary>
    public const string KvRecomputes = "disagg:kv_recomputes_total";

    /// <summary>Counter: KV blocks served to pulling decoders.</summary>
    public const string KvBlocksServed = "disagg:kv_blocks_served_total";

    /// <summary>Counter: engine steps run.</summary>
    public const string EngineSteps = "disagg:engine_steps_total";

    /// <summary>Gauge: requests holding blocks while their remote KV loads.</summary>
    public const string WaitingForRemoteKv = "disagg:num_requests_waiting_for_remote_kv";

    /// <summary>Histogram: time from arrival to first schedule, seconds (vLLM's request_queue_time_seconds).</summary>
    public const string QueueTime = "vllm:request_queue_time_seconds";

    /// <summary>Counter: requests aborted (client gone).</summary>
    public const string Aborted = "disagg:requests_aborted_total";
}
