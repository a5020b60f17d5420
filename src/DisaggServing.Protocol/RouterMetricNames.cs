namespace DisaggServing.Protocol;

/// <summary>
/// Prometheus metric names the router exposes on its <c>/metrics</c> (latencies measured at the router, P/D
/// decisions, retries, fallbacks, time per stage), shared with tools and dashboards that read them.
/// </summary>
public static class RouterMetricNames
{
    /// <summary>Histogram, label route: request start to the first response byte from the decode engine, seconds.</summary>
    public const string TimeToFirstToken = "disagg_router_time_to_first_token_seconds";

    /// <summary>Histogram, label route: gap between successive streamed chunks, seconds.</summary>
    public const string InterTokenLatency = "disagg_router_inter_token_latency_seconds";

    /// <summary>Histogram, label route: request start to the last response byte, seconds.</summary>
    public const string E2eRequestLatency = "disagg_router_e2e_request_latency_seconds";

    /// <summary>Counter, labels route (pd | decode-only) and reason: the profile handler's decisions.</summary>
    public const string Decisions = "disagg_router_decisions_total";

    /// <summary>Counter, labels route and code (HTTP status): requests answered.</summary>
    public const string Requests = "disagg_router_requests_total";

    /// <summary>Counter: prefill calls retried on another prefill engine.</summary>
    public const string PrefillRetries = "disagg_router_prefill_retries_total";

    /// <summary>Counter: P/D requests that fell back to decode-only after prefill failed.</summary>
    public const string Fallbacks = "disagg_router_fallbacks_total";

    /// <summary>Counter, labels role (prefill | decode) and kind (connect | timeout | status): failed engine calls.</summary>
    public const string UpstreamErrors = "disagg_router_upstream_errors_total";

    /// <summary>
    /// Histogram, label stage: schedule (filters, scorers, pickers, prefix lookup), prefill (the prefill call),
    /// handoff (prefill response to decode request sent), decode_first_token (decode request to its first byte), seconds.
    /// </summary>
    public const string StageDuration = "disagg_router_stage_seconds";

    /// <summary>Gauge: requests in flight at the router.</summary>
    public const string InFlight = "disagg_router_requests_in_flight";

    /// <summary>Gauge, label priority: requests waiting in the router's flow-control queue.</summary>
    public const string QueueDepth = "disagg_router_queue_depth";

    /// <summary>Gauge: request body bytes held by the requests waiting in the flow-control queue.</summary>
    public const string QueueBytes = "disagg_router_queue_bytes";

    /// <summary>Histogram: time from admission to dispatch (0 for requests dispatched at once), seconds.</summary>
    public const string QueueWait = "disagg_router_queue_wait_seconds";

    /// <summary>
    /// Counter, label reason (queue_full | queue_bytes | sheddable | deadline | expired | displaced): requests the
    /// flow control refused with 429.
    /// </summary>
    public const string Shed = "disagg_router_shed_total";

    /// <summary>Decode calls retried on another decode engine before the first byte reached the client, by failure kind.</summary>
    public const string DecodeRetries = "disagg_router_decode_retries_total";

    /// <summary>Requests that moved to another engine after their response had started, by outcome (completed, limit, no-engine).</summary>
    public const string Migrations = "disagg_router_migrations_total";

    /// <summary>Migration latency: from the break of a stream to the first token of its continuation.</summary>
    public const string MigrationLatency = "disagg_router_migration_seconds";
}
