using DisaggServing.KvTransfer.Index;
using DisaggServing.KvTransfer.Registry;
using DisaggServing.Protocol.Prometheus;

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
        var prometheus = new MetricRegistry();
        prometheus.Counter(KvTransferMetricNames.Transfers, "KV transfers reported, failed ones included.").IncTo(t.Transfers);
        prometheus.Counter(KvTransferMetricNames.FailedTransfers, "KV transfers reported as failed.").IncTo(t.FailedTransfers);
        prometheus.Counter(KvTransferMetricNames.Bytes, "Bytes moved by successful KV transfers.").IncTo(t.Bytes);
        prometheus.Histogram(KvTransferMetricNames.TransferDuration, "Duration of successful KV transfers, seconds.", t.Durations.UpperBounds)
            .Restore(t.Durations.Counts, t.Durations.Count, t.Durations.Sum);
        prometheus.Counter(KvTransferMetricNames.LeasesGranted, "KV leases granted by prefill engines.").IncTo(t.LeasesGranted);
        prometheus.Counter(KvTransferMetricNames.LeasesExtended, "KV lease extensions.").IncTo(t.LeasesExtended);
        prometheus.Counter(KvTransferMetricNames.LeasesReleased, "KV leases released.").IncTo(t.LeasesReleased);
        prometheus.Counter(KvTransferMetricNames.LeasesExpired, "KV leases that expired before decode pulled them.").IncTo(t.LeasesExpired);
        prometheus.Gauge(KvTransferMetricNames.LeasesOpen, "KV leases granted and not yet released or expired.").Set(t.OpenLeases);
        var byRole = prometheus.Gauge(KvTransferMetricNames.Engines, "Registered engines.", "role");
        foreach (var role in (string[])[EngineRoles.Prefill, EngineRoles.Decode, EngineRoles.Both])
            byRole.WithLabels(role).Set(engines.Count(e => e.Engine.Role == role));
        var byReason = prometheus.Counter(KvTransferMetricNames.EnginesRemoved, "Engines that left the registry.", "reason");
        byReason.WithLabels("deregistered").IncTo(removed.Deregistered);
        byReason.WithLabels("expired").IncTo(removed.Expired);
        prometheus.Gauge(KvTransferMetricNames.IndexedBlocks, "(engine, block) pairs in the KV index.").Set(index.IndexedBlocks);
        prometheus.Gauge(KvTransferMetricNames.DistinctBlocks, "Distinct block hashes in the KV index.").Set(index.DistinctBlocks);
        var byOutcome = prometheus.Counter(KvTransferMetricNames.EventBatches, "KV event batches published.", "outcome");
        byOutcome.WithLabels("applied").IncTo(batches.Applied);
        byOutcome.WithLabels("resync_required").IncTo(batches.ResyncRequired);
        byOutcome.WithLabels("unknown_engine").IncTo(batches.UnknownEngine);
        prometheus.Counter(KvTransferMetricNames.PrefixQueries, "Longest-prefix queries answered.").IncTo(metrics.PrefixQueries);
        return prometheus.Export();
    }
}
