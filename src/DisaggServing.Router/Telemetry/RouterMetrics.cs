using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using DisaggServing.Protocol;
using DisaggServing.Scheduling;
using Prometheus;

namespace DisaggServing.Router.Telemetry;

/// <summary>
/// The router's metrics: Prometheus on <c>/metrics</c> (names in <see cref="RouterMetricNames"/>, a registry of its own)
/// and the same measurements as OpenTelemetry instruments of the meter <c>DisaggServing.Router</c> (exported over OTLP
/// to the Aspire dashboard by the service defaults).
/// </summary>
public sealed class RouterMetrics : IDisposable
{
    /// <summary>OpenTelemetry meter name.</summary>
    public const string MeterName = "DisaggServing.Router";

    private static readonly double[] LatencyBuckets =
        [0.001, 0.0025, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 20, 40, 80, 160, 640];

    private static readonly double[] ItlBuckets =
        [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.015, 0.02, 0.025, 0.03, 0.04, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1, 2.5, 5];

    private readonly Counter _decisions;
    private readonly Counter _requests;
    private readonly Counter _upstreamErrors;
    private readonly Counter _retries;
    private readonly Counter _fallbacks;
    private readonly Gauge _inFlight;
    private readonly Gauge _queueDepth;
    private readonly Gauge _queueBytes;
    private readonly Histogram _queueWait;
    private readonly Counter _shed;
    private readonly ConcurrentDictionary<int, Gauge.Child> _queueDepthChildren = new();
    private readonly Counter _decodeRetries;
    private readonly Counter _migrations;
    private readonly Histogram _migrationLatency;
    private readonly Histogram<double> _otelMigrationLatency;
    private readonly Histogram.Child[] _ttft;
    private readonly Histogram.Child[] _itl;
    private readonly Histogram.Child[] _e2e;
    private readonly Histogram.Child[] _stages;
    private readonly ConcurrentDictionary<(string Route, int Status), Counter.Child> _requestChildren = new();
    private readonly ConcurrentDictionary<(string Route, string Reason), Counter.Child> _decisionChildren = new();

    private readonly Meter _meter = new(MeterName);
    private readonly Histogram<double> _otelTtft;
    private readonly Histogram<double> _otelItl;
    private readonly Histogram<double> _otelE2e;
    private readonly Histogram<double> _otelStage;
    private readonly Counter<long> _otelDecisions;
    private readonly Counter<long> _otelRetries;
    private readonly Counter<long> _otelFallbacks;
    private readonly UpDownCounter<long> _otelQueueDepth;
    private readonly Histogram<double> _otelQueueWait;
    private readonly Counter<long> _otelShed;

    /// <summary>Metrics registered in <paramref name="registry"/>.</summary>
    public RouterMetrics(CollectorRegistry registry)
    {
        Registry = registry;
        var factory = Metrics.WithCustomRegistry(registry);
        var ttft = factory.CreateHistogram(RouterMetricNames.TimeToFirstToken, "Time to first token at the router.", ["route"], new HistogramConfiguration { Buckets = LatencyBuckets });
        var itl = factory.CreateHistogram(RouterMetricNames.InterTokenLatency, "Gap between streamed chunks at the router.", ["route"], new HistogramConfiguration { Buckets = ItlBuckets });
        var e2e = factory.CreateHistogram(RouterMetricNames.E2eRequestLatency, "End-to-end request latency at the router.", ["route"], new HistogramConfiguration { Buckets = LatencyBuckets });
        var stage = factory.CreateHistogram(RouterMetricNames.StageDuration, "Time per stage of a request.", ["stage"], new HistogramConfiguration { Buckets = LatencyBuckets });
        _decisions = factory.CreateCounter(RouterMetricNames.Decisions, "Profile handler decisions.", ["route", "reason"]);
        _requests = factory.CreateCounter(RouterMetricNames.Requests, "Requests answered, by route and HTTP status.", ["route", "code"]);
        _retries = factory.CreateCounter(RouterMetricNames.PrefillRetries, "Prefill calls retried on another prefill engine.");
        _fallbacks = factory.CreateCounter(RouterMetricNames.Fallbacks, "P/D requests that fell back to decode-only.");
        _upstreamErrors = factory.CreateCounter(RouterMetricNames.UpstreamErrors, "Failed engine calls.", ["role", "kind"]);
        _decodeRetries = factory.CreateCounter(RouterMetricNames.DecodeRetries, "Decode calls retried on another engine before the first byte.", ["kind"]);
        _migrations = factory.CreateCounter(RouterMetricNames.Migrations, "Requests moved to another engine mid-response, by outcome.", ["outcome"]);
        _migrationLatency = factory.CreateHistogram(RouterMetricNames.MigrationLatency, "Break of a stream to the first token of its continuation.", [], new HistogramConfiguration { Buckets = LatencyBuckets });
        _inFlight = factory.CreateGauge(RouterMetricNames.InFlight, "Requests in flight at the router.");
        _queueDepth = factory.CreateGauge(RouterMetricNames.QueueDepth, "Requests waiting in the flow-control queue.", ["priority"]);
        _queueBytes = factory.CreateGauge(RouterMetricNames.QueueBytes, "Body bytes held by requests waiting in the flow-control queue.");
        _queueWait = factory.CreateHistogram(RouterMetricNames.QueueWait, "Time from admission to dispatch.", new HistogramConfiguration { Buckets = LatencyBuckets });
        _shed = factory.CreateCounter(RouterMetricNames.Shed, "Requests refused by flow control (429), by reason.", ["reason"]);
        _ttft = [ttft.WithLabels(RouteNames.Pd), ttft.WithLabels(RouteNames.DecodeOnly)];
        _itl = [itl.WithLabels(RouteNames.Pd), itl.WithLabels(RouteNames.DecodeOnly)];
        _e2e = [e2e.WithLabels(RouteNames.Pd), e2e.WithLabels(RouteNames.DecodeOnly)];
        _stages = [stage.WithLabels("schedule"), stage.WithLabels("prefill"), stage.WithLabels("handoff"), stage.WithLabels("decode_first_token")];

        _otelMigrationLatency = _meter.CreateHistogram<double>("disagg.router.migration_latency", "s", "Break of a stream to the first token of its continuation.");
        _otelTtft = _meter.CreateHistogram<double>("disagg.router.time_to_first_token", "s", "Time to first token at the router.");
        _otelItl = _meter.CreateHistogram<double>("disagg.router.inter_token_latency", "s", "Gap between streamed chunks at the router.");
        _otelE2e = _meter.CreateHistogram<double>("disagg.router.e2e_request_latency", "s", "End-to-end request latency at the router.");
        _otelStage = _meter.CreateHistogram<double>("disagg.router.stage_duration", "s", "Time per stage: schedule, prefill, handoff, decode_first_token.");
        _otelDecisions = _meter.CreateCounter<long>("disagg.router.decisions", "{request}", "Profile handler decisions by route and reason.");
        _otelRetries = _meter.CreateCounter<long>("disagg.router.prefill_retries", "{call}", "Prefill calls retried on another engine.");
        _otelFallbacks = _meter.CreateCounter<long>("disagg.router.fallbacks", "{request}", "P/D requests that fell back to decode-only.");
        _otelQueueDepth = _meter.CreateUpDownCounter<long>("disagg.router.queue_depth", "{request}", "Requests waiting in the flow-control queue, by priority.");
        _otelQueueWait = _meter.CreateHistogram<double>("disagg.router.queue_wait", "s", "Time from admission to dispatch.");
        _otelShed = _meter.CreateCounter<long>("disagg.router.shed", "{request}", "Requests refused by flow control (429), by reason.");
    }

    /// <summary>The registry <c>/metrics</c> serves.</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>Prefill retries so far.</summary>
    public double PrefillRetries => _retries.Value;

    /// <summary>Fallbacks to decode-only so far.</summary>
    public double Fallbacks => _fallbacks.Value;

    /// <summary>A request arrived.</summary>
    public void RequestStarted() => _inFlight.Inc();

    /// <summary>A request was answered with <paramref name="status"/> on <paramref name="route"/>.</summary>
    public void RequestEnded(string route, int status)
    {
        _inFlight.Dec();
        _requestChildren.GetOrAdd((route, status), key => _requests.WithLabels(key.Route, key.Status.ToString(CultureInfo.InvariantCulture))).Inc();
    }

    /// <summary>Counts a decision.</summary>
    public void Decision(string route, DecisionReason decision)
    {
        var reason = decision.Label();
        _decisionChildren.GetOrAdd((route, reason), key => _decisions.WithLabels(key.Route, key.Reason)).Inc();
        _otelDecisions.Add(1, new KeyValuePair<string, object?>("route", route), new KeyValuePair<string, object?>("reason", reason));
    }

    /// <summary>Counts a prefill retry.</summary>
    public void PrefillRetried()
    {
        _retries.Inc();
        _otelRetries.Add(1);
    }

    /// <summary>Counts a fallback to decode-only.</summary>
    public void FellBack()
    {
        _fallbacks.Inc();
        _otelFallbacks.Add(1);
    }

    /// <summary>Counts a decode call retried on another engine after a failure of <paramref name="kind"/>.</summary>
    public void DecodeRetried(string kind) => _decodeRetries.WithLabels(kind).Inc();

    /// <summary>Counts a migrated request's outcome.</summary>
    public void Migrated(string outcome) => _migrations.WithLabels(outcome).Inc();

    /// <summary>One migration's latency (break → first migrated token).</summary>
    public void ObserveMigration(double seconds)
    {
        _migrationLatency.Observe(seconds);
        _otelMigrationLatency.Record(seconds);
    }

    /// <summary>Counts a failed engine call.</summary>
    public void UpstreamError(string role, string kind) => _upstreamErrors.WithLabels(role, kind).Inc();

    /// <summary>The flow-control queue at <paramref name="priority"/> changed by <paramref name="delta"/> and now holds <paramref name="bytes"/> in all.</summary>
    public void QueueChanged(int priority, int delta, long bytes)
    {
        _queueDepthChildren.GetOrAdd(priority, p => _queueDepth.WithLabels(p.ToString(CultureInfo.InvariantCulture))).Inc(delta);
        _queueBytes.Set(bytes);
        _otelQueueDepth.Add(delta, new KeyValuePair<string, object?>("priority", priority));
    }

    /// <summary>Requests waiting at <paramref name="priority"/>, as the gauge says.</summary>
    public double QueueDepth(int priority) => _queueDepthChildren.TryGetValue(priority, out var child) ? child.Value : 0;

    /// <summary>A request's wait from admission to dispatch.</summary>
    public void ObserveQueueWait(double seconds)
    {
        _queueWait.Observe(seconds);
        _otelQueueWait.Record(seconds);
    }

    /// <summary>Counts a request refused by flow control.</summary>
    public void Shed(string reason)
    {
        _shed.WithLabels(reason).Inc();
        _otelShed.Add(1, new KeyValuePair<string, object?>("reason", reason));
    }

    /// <summary>Requests refused for <paramref name="reason"/> so far.</summary>
    public double Sheds(string reason) => _shed.WithLabels(reason).Value;

    /// <summary>TTFT for <paramref name="route"/>.</summary>
    public void ObserveTtft(string route, double seconds)
    {
        _ttft[RouteIndex(route)].Observe(seconds);
        _otelTtft.Record(seconds, new KeyValuePair<string, object?>("route", route));
    }

    /// <summary>One inter-chunk gap for <paramref name="route"/>.</summary>
    public void ObserveItl(string route, double seconds)
    {
        _itl[RouteIndex(route)].Observe(seconds);
        _otelItl.Record(seconds, new KeyValuePair<string, object?>("route", route));
    }

    /// <summary>End-to-end latency for <paramref name="route"/>.</summary>
    public void ObserveE2e(string route, double seconds)
    {
        _e2e[RouteIndex(route)].Observe(seconds);
        _otelE2e.Record(seconds, new KeyValuePair<string, object?>("route", route));
    }

    /// <summary>Scheduling time (filters, scorers, pickers, prefix lookup).</summary>
    public void ObserveSchedule(double seconds) => ObserveStage(0, "schedule", seconds);

    /// <summary>Prefill call time.</summary>
    public void ObservePrefill(double seconds) => ObserveStage(1, "prefill", seconds);

    /// <summary>Prefill response to decode request sent.</summary>
    public void ObserveHandoff(double seconds) => ObserveStage(2, "handoff", seconds);

    /// <summary>Decode request sent to its first byte.</summary>
    public void ObserveDecodeFirstToken(double seconds) => ObserveStage(3, "decode_first_token", seconds);

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();

    private void ObserveStage(int index, string stage, double seconds)
    {
        _stages[index].Observe(seconds);
        _otelStage.Record(seconds, new KeyValuePair<string, object?>("stage", stage));
    }

    private static int RouteIndex(string route) => route == RouteNames.Pd ? 0 : 1;
}
