using System.Diagnostics.Metrics;
using DisaggServing.KvTransfer.Index;
using DisaggServing.KvTransfer.Registry;

namespace DisaggServing.KvTransfer.Telemetry;

/// <summary>
/// The service's own counters (KV event batches by outcome, prefix queries, engines removed by reason) and the
/// OpenTelemetry instruments on the <see cref="KvTransferMetricNames.MeterName"/> meter. Transfer and lease totals
/// live in the <see cref="TelemetryAggregator"/>; <see cref="KvTransferPrometheus"/> renders both.
/// </summary>
public sealed class KvTransferMetrics : ITelemetryObserver, IEngineMembershipListener
{
    private readonly Counter<long> _transfers;
    private readonly Counter<long> _bytes;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _leaseEvents;
    private readonly Counter<long> _batches;
    private readonly Counter<long> _queries;
    private readonly Counter<long> _removals;
    private long _applied;
    private long _resyncs;
    private long _unknown;
    private long _prefixQueries;
    private long _deregistered;
    private long _expired;

    /// <summary>Creates the instruments on a meter from <paramref name="meterFactory"/>.</summary>
    public KvTransferMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        Meter = meterFactory.Create(KvTransferMetricNames.MeterName);
        _transfers = Meter.CreateCounter<long>("disagg.kvtransfer.transfers", "{transfer}", "KV transfers reported (tag success).");
        _bytes = Meter.CreateCounter<long>("disagg.kvtransfer.bytes", "By", "Bytes moved by successful KV transfers.");
        _duration = Meter.CreateHistogram<double>(
            "disagg.kvtransfer.transfer.duration", "s", "Duration of successful KV transfers.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationHistogram.TransferBuckets });
        _leaseEvents = Meter.CreateCounter<long>("disagg.kvtransfer.lease.events", "{event}", "KV lease events (tag event).");
        _batches = Meter.CreateCounter<long>("disagg.kvtransfer.kv_event.batches", "{batch}", "KV event batches published (tag outcome).");
        _queries = Meter.CreateCounter<long>("disagg.kvtransfer.prefix.queries", "{query}", "Longest-prefix queries answered.");
        _removals = Meter.CreateCounter<long>("disagg.kvtransfer.engines.removed", "{engine}", "Engines that left the registry (tag reason).");
    }

    /// <summary>The OpenTelemetry meter the instruments live on.</summary>
    public Meter Meter { get; }

    /// <summary>Batches applied, batches answered with resync_required, batches from unregistered engines.</summary>
    public (long Applied, long ResyncRequired, long UnknownEngine) Batches =>
        (Interlocked.Read(ref _applied), Interlocked.Read(ref _resyncs), Interlocked.Read(ref _unknown));

    /// <summary>Longest-prefix queries answered.</summary>
    public long PrefixQueries => Interlocked.Read(ref _prefixQueries);

    /// <summary>Engines that deregistered, and engines dropped for missing heartbeats.</summary>
    public (long Deregistered, long Expired) EnginesRemoved => (Interlocked.Read(ref _deregistered), Interlocked.Read(ref _expired));

    /// <summary>Adds observable gauges for engines, index size and open leases.</summary>
    public void ObserveState(EngineRegistry engines, KvBlockIndex index, TelemetryAggregator telemetry)
    {
        ArgumentNullException.ThrowIfNull(engines);
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(telemetry);
        Meter.CreateObservableGauge("disagg.kvtransfer.engines", () => (long)engines.List().Count, "{engine}", "Registered engines.");
        Meter.CreateObservableGauge("disagg.kvtransfer.index.blocks", () => index.IndexedBlocks, "{block}", "(engine, block) pairs in the KV index.");
        Meter.CreateObservableGauge("disagg.kvtransfer.leases.open", () => telemetry.Snapshot().OpenLeases, "{lease}", "KV leases open.");
    }

    /// <inheritdoc />
    public void TransferRecorded(in TransferRecord transfer)
    {
        _transfers.Add(1, new KeyValuePair<string, object?>("success", transfer.Success));
        if (!transfer.Success)
            return;
        _bytes.Add(transfer.Bytes);
        _duration.Record(transfer.DurationSeconds);
    }

    /// <inheritdoc />
    public void LeaseRecorded(LeaseEventKind kind, int blocks) =>
        _leaseEvents.Add(1, new KeyValuePair<string, object?>("event", kind.ToString().ToLowerInvariant()));

    /// <summary>Counts one published batch by outcome.</summary>
    public void BatchPublished(PublishOutcome outcome)
    {
        var name = outcome switch
        {
            PublishOutcome.Applied => Count(ref _applied, "applied"),
            PublishOutcome.ResyncRequired => Count(ref _resyncs, "resync_required"),
            _ => Count(ref _unknown, "unknown_engine"),
        };
        _batches.Add(1, new KeyValuePair<string, object?>("outcome", name));
    }

    /// <summary>Counts one longest-prefix query.</summary>
    public void PrefixQueried()
    {
        Interlocked.Increment(ref _prefixQueries);
        _queries.Add(1);
    }

    /// <inheritdoc />
    void IEngineMembershipListener.EngineRegistered(string engineId)
    {
    }

    /// <inheritdoc />
    void IEngineMembershipListener.EngineRemoved(string engineId, EngineRemovalReason reason)
    {
        var name = reason == EngineRemovalReason.Expired ? Count(ref _expired, "expired") : Count(ref _deregistered, "deregistered");
        _removals.Add(1, new KeyValuePair<string, object?>("reason", name));
    }

    private static string Count(ref long counter, string name)
    {
        Interlocked.Increment(ref counter);
        return name;
    }
}
