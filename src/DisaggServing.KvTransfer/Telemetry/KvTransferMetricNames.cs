namespace DisaggServing.KvTransfer.Telemetry;

/// <summary>
/// The KV-transfer service's metric names: Prometheus names on <c>/metrics</c> (prefixed <c>disagg:kvtransfer_</c>,
/// counters with the <c>_total</c> suffix as exposed) and the OpenTelemetry meter with its instruments.
/// </summary>
public static class KvTransferMetricNames
{
    /// <summary>The OpenTelemetry meter (picked up by ServiceDefaults' <c>DisaggServing.*</c> subscription).</summary>
    public const string MeterName = "DisaggServing.KvTransfer";

    /// <summary>Counter: KV transfers reported, failed ones included.</summary>
    public const string Transfers = "disagg:kvtransfer_transfers_total";

    /// <summary>Counter: KV transfers reported as failed.</summary>
    public const string FailedTransfers = "disagg:kvtransfer_failed_transfers_total";

    /// <summary>Counter: bytes moved by successful KV transfers.</summary>
    public const string Bytes = "disagg:kvtransfer_bytes_total";

    /// <summary>Histogram: duration of successful KV transfers, seconds.</summary>
    public const string TransferDuration = "disagg:kvtransfer_transfer_duration_seconds";

    /// <summary>Counter: leases granted.</summary>
    public const string LeasesGranted = "disagg:kvtransfer_leases_granted_total";

    /// <summary>Counter: lease extensions.</summary>
    public const string LeasesExtended = "disagg:kvtransfer_leases_extended_total";

    /// <summary>Counter: leases released.</summary>
    public const string LeasesReleased = "disagg:kvtransfer_leases_released_total";

    /// <summary>Counter: leases that expired before decode pulled them.</summary>
    public const string LeasesExpired = "disagg:kvtransfer_leases_expired_total";

    /// <summary>Gauge: leases granted and not yet released or expired.</summary>
    public const string LeasesOpen = "disagg:kvtransfer_leases_open";

    /// <summary>Gauge: registered engines, label <c>role</c>.</summary>
    public const string Engines = "disagg:kvtransfer_engines";

    /// <summary>Counter: engines that left the registry, label <c>reason</c> = deregistered | expired.</summary>
    public const string EnginesRemoved = "disagg:kvtransfer_engines_removed_total";

    /// <summary>Gauge: (engine, block) pairs in the KV index.</summary>
    public const string IndexedBlocks = "disagg:kvtransfer_indexed_blocks";

    /// <summary>Gauge: distinct block hashes in the KV index.</summary>
    public const string DistinctBlocks = "disagg:kvtransfer_distinct_blocks";

    /// <summary>Counter: KV event batches published, label <c>outcome</c> = applied | resync_required | unknown_engine.</summary>
    public const string EventBatches = "disagg:kvtransfer_kv_event_batches_total";

    /// <summary>Counter: longest-prefix queries answered.</summary>
    public const string PrefixQueries = "disagg:kvtransfer_prefix_queries_total";
}
