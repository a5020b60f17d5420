using DisaggServing.KvTransfer.Index;
using DisaggServing.KvTransfer.Registry;

namespace DisaggServing.KvTransfer.Telemetry;

/// <summary>Renders the service's state as Prometheus text for <c>/metrics</c> (names in <see cref="KvTransferMetricNames"/>).</summary>
public static class KvTransferPrometheus
{
    /// <summary>The exposition of telemetry totals, registry, index and service counters as of now.</summary>
    public static string Render(TelemetryAggregator telemetry, EngineRegistry registry, KvBlockIndex index, KvTransferMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(telemetry);
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(metrics);
        var t = telemetry.Snapshot();
        var engines = registry.List();
        var batches = metrics.Batches;
        var removed = metrics.EnginesRemoved;
        return new PrometheusTextWriter()
            .Counter(KvTransferMetricNames.Transfers, "KV transfers reported, failed ones included.", t.Transfers)
            .Counter(KvTransferMetricNames.FailedTransfers, "KV transfers reported as failed.", t.FailedTransfers)
            .Counter(KvTransferMetricNames.Bytes, "Bytes moved by successful KV transfers.", t.Bytes)
            .Histogram(KvTransferMetricNames.TransferDuration, "Duration of successful KV transfers, seconds.", t.Durations)
            .Counter(KvTransferMetricNames.LeasesGranted, "KV leases granted by prefill engines.", t.LeasesGranted)
            .Counter(KvTransferMetricNames.LeasesExtended, "KV lease extensions.", t.LeasesExtended)
            .Counter(KvTransferMetricNames.LeasesReleased, "KV leases released.", t.LeasesReleased)
            .Counter(KvTransferMetricNames.LeasesExpired, "KV leases that expired before decode pulled them.", t.LeasesExpired)
            .Gauge(KvTransferMetricNames.LeasesOpen, "KV leases granted and not yet released or expired.", t.OpenLeases)
            .Gauge(KvTransferMetricNames.Engines, "Registered engines.", "role",
            [
                new(EngineRoles.Prefill, engines.Count(e => e.Engine.Role == EngineRoles.Prefill)),
                new(EngineRoles.Decode, engines.Count(e => e.Engine.Role == EngineRoles.Decode)),
                new(EngineRoles.Both, engines.Count(e => e.Engine.Role == EngineRoles.Both)),
            ])
            .Counter(KvTransferMetricNames.EnginesRemoved, "Engines that left the registry.", "reason",
            [
                new("deregistered", removed.Deregistered),
                new("expired", removed.Expired),
            ])
            .Gauge(KvTransferMetricNames.IndexedBlocks, "(engine, block) pairs in the KV index.", index.IndexedBlocks)
            .Gauge(KvTransferMetricNames.DistinctBlocks, "Distinct block hashes in the KV index.", index.DistinctBlocks)
            .Counter(KvTransferMetricNames.EventBatches, "KV event batches published.", "outcome",
            [
                new("applied", batches.Applied),
                new("resync_required", batches.ResyncRequired),
                new("unknown_engine", batches.UnknownEngine),
            ])
            .Counter(KvTransferMetricNames.PrefixQueries, "Longest-prefix queries answered.", metrics.PrefixQueries)
            .ToString();
    }
}
