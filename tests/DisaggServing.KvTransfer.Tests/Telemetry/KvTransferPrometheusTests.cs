using System.Diagnostics.Metrics;
using DisaggServing.Engine.Clock;
using DisaggServing.KvTransfer.Index;
using DisaggServing.KvTransfer.Registry;
using DisaggServing.KvTransfer.Telemetry;
using DisaggServing.KvTransfer.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace DisaggServing.KvTransfer.Tests.Telemetry;

public class KvTransferPrometheusTests
{
    /// <summary>
    /// Pins the whole exposition: names, labels, HELP/TYPE lines and values are what dashboards and the router read
    /// (the same lines the service's former hand-written writer produced; labelled samples now sort by label value).
    /// </summary>
    [Fact]
    public void Render_exposes_every_family_with_help_type_and_values()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new KvTransferMetrics(services.GetRequiredService<IMeterFactory>());
        var telemetry = new TelemetryAggregator([metrics]);
        var index = new KvBlockIndex();
        var registry = new EngineRegistry(new VirtualTimeProvider(), new RegistryTimings(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(6)), [index]);
        registry.Register(TestEngines.Descriptor("p0"));
        registry.Register(TestEngines.Descriptor("d0", EngineRoles.Decode));
        telemetry.RecordTransfer(new TransferRecord("p0", "d0", 1000, 0.002, true));
        telemetry.RecordTransfer(new TransferRecord("p0", "d0", 3000, 0.004, true));
        telemetry.RecordTransfer(new TransferRecord("p0", "d0", 3000, 20, true));
        telemetry.RecordTransfer(new TransferRecord("p0", "d0", 500, 1.5, false));
        telemetry.RecordLease(LeaseEventKind.Granted, 4);
        metrics.PrefixQueried();

        var text = KvTransferPrometheus.Render(telemetry, registry, index, metrics);

        Assert.Equal(
            """
            # HELP disagg:kvtransfer_transfers_total KV transfers reported, failed ones included.
            # TYPE disagg:kvtransfer_transfers_total counter
            disagg:kvtransfer_transfers_total 4
            # HELP disagg:kvtransfer_failed_transfers_total KV transfers reported as failed.
            # TYPE disagg:kvtransfer_failed_transfers_total counter
            disagg:kvtransfer_failed_transfers_total 1
            # HELP disagg:kvtransfer_bytes_total Bytes moved by successful KV transfers.
            # TYPE disagg:kvtransfer_bytes_total counter
            disagg:kvtransfer_bytes_total 7000
            # HELP disagg:kvtransfer_transfer_duration_seconds Duration of successful KV transfers, seconds.
            # TYPE disagg:kvtransfer_transfer_duration_seconds histogram
            disagg:kvtransfer_transfer_duration_seconds_bucket{le="0.0005"} 0
            disagg:kvtransfer_transfer_duration_seconds_bucket{le="0.001"} 0
            disagg:kvtransfer_transfer_duration_seconds_bucket{le="0.0025"} 1
            disagg:kvtransfer_transfer_duration_seconds_bucket{le="0.005"} 2
            disagg:kvtransfer_transfer_duration_seconds_bucket{le="0.01"} 2
            disagg:kvtransfer_transfer_duration_seconds_bucket{le="0.025"} 2
            disagg:kvtransfer_transfer_duration_seconds_bucket{le="0.05"} 2
            disagg:kvtransfer_transfer_duration_seconds_bucket{le="0.1"} 2
            disagg:kvtransfer_transfer_duration_seconds_bucket{le="0.25"} 2
            disagg:kvtransfer_transfer_duration_seconds_bucket{le="0.5"} 2
            disagg:kvtransfer_transfer_duration_seconds_bucket{le="1"} 2
            disagg:kvtransfer_transfer_duration_seconds_bucket{le="2.5"} 2
            disagg:kvtransfer_transfer_duration_seconds_bucket{le="5"} 2
            disagg:kvtransfer_transfer_duration_seconds_bucket{le="10"} 2
            disagg:kvtransfer_transfer_duration_seconds_bucket{le="+Inf"} 3
            disagg:kvtransfer_transfer_duration_seconds_sum 20.006
            disagg:kvtransfer_transfer_duration_seconds_count 3
            # HELP disagg:kvtransfer_leases_granted_total KV leases granted by prefill engines.
            # TYPE disagg:kvtransfer_leases_granted_total counter
            disagg:kvtransfer_leases_granted_total 1
            # HELP disagg:kvtransfer_leases_extended_total KV lease extensions.
            # TYPE disagg:kvtransfer_leases_extended_total counter
            disagg:kvtransfer_leases_extended_total 0
            # HELP disagg:kvtransfer_leases_released_total KV leases released.
            # TYPE disagg:kvtransfer_leases_released_total counter
            disagg:kvtransfer_leases_released_total 0
            # HELP disagg:kvtransfer_leases_expired_total KV leases that expired before decode pulled them.
            # TYPE disagg:kvtransfer_leases_expired_total counter
            disagg:kvtransfer_leases_expired_total 0
            # HELP disagg:kvtransfer_leases_open KV leases granted and not yet released or expired.
            # TYPE disagg:kvtransfer_leases_open gauge
            disagg:kvtransfer_leases_open 1
            # HELP disagg:kvtransfer_engines Registered engines.
            # TYPE disagg:kvtransfer_engines gauge
            disagg:kvtransfer_engines{role="both"} 0
            disagg:kvtransfer_engines{role="decode"} 1
            disagg:kvtransfer_engines{role="prefill"} 1
            # HELP disagg:kvtransfer_engines_removed_total Engines that left the registry.
            # TYPE disagg:kvtransfer_engines_removed_total counter
            disagg:kvtransfer_engines_removed_total{reason="deregistered"} 0
            disagg:kvtransfer_engines_removed_total{reason="expired"} 0
            # HELP disagg:kvtransfer_indexed_blocks (engine, block) pairs in the KV index.
            # TYPE disagg:kvtransfer_indexed_blocks gauge
            disagg:kvtransfer_indexed_blocks 0
            # HELP disagg:kvtransfer_distinct_blocks Distinct block hashes in the KV index.
            # TYPE disagg:kvtransfer_distinct_blocks gauge
            disagg:kvtransfer_distinct_blocks 0
            # HELP disagg:kvtransfer_kv_event_batches_total KV event batches published.
            # TYPE disagg:kvtransfer_kv_event_batches_total counter
            disagg:kvtransfer_kv_event_batches_total{outcome="applied"} 0
            disagg:kvtransfer_kv_event_batches_total{outcome="resync_required"} 0
            disagg:kvtransfer_kv_event_batches_total{outcome="unknown_engine"} 0
            # HELP disagg:kvtransfer_prefix_queries_total Longest-prefix queries answered.
            # TYPE disagg:kvtransfer_prefix_queries_total counter
            disagg:kvtransfer_prefix_queries_total 1

            """.ReplaceLineEndings("\n"),
            text);
    }
}
