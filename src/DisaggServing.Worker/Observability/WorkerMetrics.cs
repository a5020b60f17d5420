using System.Diagnostics.Metrics;
using DisaggServing.Protocol;
using DisaggServing.Protocol.Prometheus;
using DisaggServing.Worker.Configuration;

namespace DisaggServing.Worker.Observability;

/// <summary>
/// The worker's Prometheus metrics under vLLM's names, in a registry of its own (two workers in one process, as
/// in tests, must not share counters). Every series carries <c>model_name</c> and <c>engine</c> labels, as vLLM's.
/// Gauges are refreshed from the engine just before each scrape.
/// </summary>
public sealed class WorkerMetrics
{
    // vLLM's bucket boundaries, so dashboards built for vLLM read these unchanged.
    private static readonly double[] TtftBuckets = [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0, 160.0, 640.0, 2560.0];
    private static readonly double[] ItlBuckets = [0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0];
    private static readonly double[] E2eBuckets = [0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 2.5, 5.0, 10.0, 15.0, 20.0, 30.0, 40.0, 50.0, 60.0, 120.0, 240.0, 480.0, 960.0, 1920.0, 7680.0];
    private static readonly double[] XferBuckets = [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0];

    public WorkerMetrics(WorkerSettings settings, IMeterFactory? meters = null)
    {
        Registry = new MetricRegistry(new Dictionary<string, string> { ["model_name"] = settings.ModelId, ["engine"] = settings.EngineId });
        var f = Registry;
        Running = f.Gauge(MetricNames.NumRequestsRunning, "Requests in the running batch.");
        Waiting = f.Gauge(MetricNames.NumRequestsWaiting, "Requests waiting for admission or for remote KV.");
        WaitingForRemoteKv = f.Gauge(WorkerMetricNames.WaitingForRemoteKv, "Requests holding blocks while their remote KV loads.");
        KvCacheUsage = f.Gauge(MetricNames.KvCacheUsagePerc, "Fraction of KV blocks in use (0..1).");
        KvBlocksUsed = f.Gauge(MetricNames.KvBlocksUsed, "KV blocks in use.");
        KvLeasesOpen = f.Gauge(MetricNames.KvLeasesOpen, "Prefill leases open.");
        Ttft = f.Histogram(MetricNames.TimeToFirstToken, "Time to first token, seconds.", TtftBuckets);
        Itl = f.Histogram(MetricNames.InterTokenLatency, "Inter-token latency, seconds.", ItlBuckets);
        E2e = f.Histogram(MetricNames.E2eRequestLatency, "End-to-end request latency, seconds.", E2eBuckets);
        QueueTime = f.Histogram(WorkerMetricNames.QueueTime, "Time in the waiting queue, seconds.", TtftBuckets);
        PromptTokens = f.Counter(MetricNames.PromptTokens, "Prompt tokens processed.");
        GenerationTokens = f.Counter(MetricNames.GenerationTokens, "Tokens generated.");
        RequestSuccess = f.Counter(MetricNames.RequestSuccess, "Finished requests.", "finished_reason");
        Preemptions = f.Counter(MetricNames.NumPreemptions, "Preemptions.");
        PrefixCacheQueries = f.Counter(MetricNames.PrefixCacheQueries, "Prefix-cache lookups, tokens.");
        PrefixCacheHits = f.Counter(MetricNames.PrefixCacheHits, "Prefix-cache hits, tokens.");
        XferTime = f.Histogram(MetricNames.NixlXferTime, "KV transfer time, seconds.", XferBuckets);
        BytesTransferred = f.Counter(MetricNames.NixlBytesTransferred, "KV bytes transferred (real, unscaled).");
        FailedTransfers = f.Counter(MetricNames.NixlNumFailedTransfers, "Failed KV transfers.");
        ExpiredLeases = f.Counter(MetricNames.NixlNumKvExpiredReqs, "Prefill leases that expired before decode pulled them.");
        RequestsByPhase = f.Counter(MetricNames.RequestsByPhase, "Requests served, by phase.", "phase");
        PullCopyTime = f.Histogram(WorkerMetricNames.KvPullCopyTime, "Wall time of a successful KV pull's byte movement and verification, seconds.", XferBuckets);
        PayloadBytes = f.Counter(WorkerMetricNames.KvPayloadBytes, "KV payload bytes actually moved.");
        KvPulls = f.Counter(WorkerMetricNames.KvPulls, "KV pulls by outcome.", "outcome");
        KvPullTransport = f.Counter(WorkerMetricNames.KvPullTransport, "KV pulls by transport.", "transport");
        KvRecomputes = f.Counter(WorkerMetricNames.KvRecomputes, "Remote KV loads that fell back to local prefill.");
        KvBlocksServed = f.Counter(WorkerMetricNames.KvBlocksServed, "KV blocks served to pulling decoders.");
        EngineSteps = f.Counter(WorkerMetricNames.EngineSteps, "Engine steps run.");
        Aborted = f.Counter(WorkerMetricNames.Aborted, "Requests aborted.");
        if (meters is not null)
            MirrorToOpenTelemetry(meters.Create(WorkerActivity.SourceName), settings);
    }

    public MetricRegistry Registry { get; }
    public GaugeMetric Running { get; }
    public GaugeMetric Waiting { get; }
    public GaugeMetric WaitingForRemoteKv { get; }
    public GaugeMetric KvCacheUsage { get; }
    public GaugeMetric KvBlocksUsed { get; }
    public GaugeMetric KvLeasesOpen { get; }
    public HistogramMetric Ttft { get; }
    public HistogramMetric Itl { get; }
    public HistogramMetric E2e { get; }
    public HistogramMetric QueueTime { get; }
    public CounterMetric PromptTokens { get; }
    public CounterMetric GenerationTokens { get; }
    public CounterMetric RequestSuccess { get; }
    public CounterMetric Preemptions { get; }
    public CounterMetric PrefixCacheQueries { get; }
    public CounterMetric PrefixCacheHits { get; }
    public HistogramMetric XferTime { get; }
    public CounterMetric BytesTransferred { get; }
    public CounterMetric FailedTransfers { get; }
    public CounterMetric ExpiredLeases { get; }
    public CounterMetric RequestsByPhase { get; }
    public HistogramMetric PullCopyTime { get; }
    public CounterMetric PayloadBytes { get; }
    public CounterMetric KvPulls { get; }
    public CounterMetric KvPullTransport { get; }
    public CounterMetric KvRecomputes { get; }
    public CounterMetric KvBlocksServed { get; }
    public CounterMetric EngineSteps { get; }
    public CounterMetric Aborted { get; }

    /// <summary>
    /// The same figures as OpenTelemetry instruments (meter DisaggServing.Worker), which ServiceDefaults exports over
    /// OTLP, so the Aspire dashboard charts TTFT, ITL and KV traffic per worker without a Prometheus scraper.
    /// </summary>
    private void MirrorToOpenTelemetry(Meter meter, WorkerSettings settings)
    {
        var engine = new KeyValuePair<string, object?>("engine", settings.EngineId);
        var model = new KeyValuePair<string, object?>("model_name", settings.ModelId);
        void Histogram(HistogramMetric source, string name, string description)
        {
            var instrument = meter.CreateHistogram<double>(name, "s", description);
            source.Recorded = v => instrument.Record(v, engine, model);
        }
        void Counter(CounterMetric source, string name, string unit, string description, string? label = null)
        {
            var instrument = meter.CreateCounter<double>(name, unit, description);
            source.Recorded = (v, labelValue) =>
            {
                if (label is null)
                    instrument.Add(v, engine, model);
                else
                    instrument.Add(v, engine, model, new KeyValuePair<string, object?>(label, labelValue));
            };
        }
        void Gauge(GaugeMetric source, string name, string unit, string description) =>
            meter.CreateObservableGauge(name, () =>
            {
                Registry.Refresh();
                return new Measurement<double>(source.Value, engine, model);
            }, unit, description);

        Histogram(Ttft, "disagg.worker.time_to_first_token", "Time to first token.");
        Histogram(Itl, "disagg.worker.inter_token_latency", "Inter-token latency.");
        Histogram(E2e, "disagg.worker.e2e_request_latency", "End-to-end request latency.");
        Histogram(XferTime, "disagg.worker.kv_transfer_time", "KV transfer time.");
        Counter(PromptTokens, "disagg.worker.prompt_tokens", "{token}", "Prompt tokens processed.");
        Counter(GenerationTokens, "disagg.worker.generation_tokens", "{token}", "Tokens generated.");
        Counter(BytesTransferred, "disagg.worker.kv_bytes_transferred", "By", "KV bytes transferred (real, unscaled).");
        Counter(FailedTransfers, "disagg.worker.kv_transfers_failed", "{transfer}", "Failed KV transfers.");
        Counter(ExpiredLeases, "disagg.worker.kv_leases_expired", "{lease}", "Leases that expired unpulled.");
        Counter(RequestsByPhase, "disagg.worker.requests", "{request}", "Requests served, by phase.", "phase");
        Gauge(Running, "disagg.worker.requests_running", "{request}", "Requests in the running batch.");
        Gauge(Waiting, "disagg.worker.requests_waiting", "{request}", "Requests waiting.");
        Gauge(KvCacheUsage, "disagg.worker.kv_cache_usage", "1", "Fraction of KV blocks in use.");
        Gauge(KvLeasesOpen, "disagg.worker.kv_leases_open", "{lease}", "Prefill leases open.");
    }
}
