using DisaggServing.Protocol;
using DisaggServing.Router.Scheduling;
using Prometheus;

namespace DisaggServing.Router.Telemetry;

/// <summary>The router's Prometheus metrics (names in <see cref="RouterMetricNames"/>), in a registry of its own.</summary>
public sealed class RouterMetrics
{
    private static readonly double[] LatencyBuckets =
        [0.001, 0.0025, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 20, 40, 80, 160, 640];

    private static readonly double[] ItlBuckets =
        [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.015, 0.02, 0.025, 0.03, 0.04, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1, 2.5, 5];

    private readonly Histogram _ttft;
    private readonly Histogram _itl;
    private readonly Histogram _e2e;
    private readonly Counter _decisions;
    private readonly Counter _requests;
    private readonly Counter _upstreamErrors;
    private readonly Histogram _stage;

    /// <summary>Metrics registered in <paramref name="registry"/>.</summary>
    public RouterMetrics(CollectorRegistry registry)
    {
        Registry = registry;
        var factory = Metrics.WithCustomRegistry(registry);
        _ttft = factory.CreateHistogram(RouterMetricNames.TimeToFirstToken, "Time to first token at the router.", ["route"], new HistogramConfiguration { Buckets = LatencyBuckets });
        _itl = factory.CreateHistogram(RouterMetricNames.InterTokenLatency, "Gap between streamed chunks at the router.", ["route"], new HistogramConfiguration { Buckets = ItlBuckets });
        _e2e = factory.CreateHistogram(RouterMetricNames.E2eRequestLatency, "End-to-end request latency at the router.", ["route"], new HistogramConfiguration { Buckets = LatencyBuckets });
        _decisions = factory.CreateCounter(RouterMetricNames.Decisions, "Profile handler decisions.", ["route", "reason"]);
        _requests = factory.CreateCounter(RouterMetricNames.Requests, "Requests answered, by route and HTTP status.", ["route", "code"]);
        PrefillRetries = factory.CreateCounter(RouterMetricNames.PrefillRetries, "Prefill calls retried on another prefill engine.");
        Fallbacks = factory.CreateCounter(RouterMetricNames.Fallbacks, "P/D requests that fell back to decode-only.");
        _upstreamErrors = factory.CreateCounter(RouterMetricNames.UpstreamErrors, "Failed engine calls.", ["role", "kind"]);
        _stage = factory.CreateHistogram(RouterMetricNames.StageDuration, "Time per stage of a request.", ["stage"], new HistogramConfiguration { Buckets = LatencyBuckets });
        InFlight = factory.CreateGauge(RouterMetricNames.InFlight, "Requests in flight at the router.");
        Schedule = _stage.WithLabels("schedule");
        Prefill = _stage.WithLabels("prefill");
        Handoff = _stage.WithLabels("handoff");
        DecodeFirstToken = _stage.WithLabels("decode_first_token");
        PdTtft = _ttft.WithLabels(RouteNames.Pd);
        DecodeOnlyTtft = _ttft.WithLabels(RouteNames.DecodeOnly);
        PdItl = _itl.WithLabels(RouteNames.Pd);
        DecodeOnlyItl = _itl.WithLabels(RouteNames.DecodeOnly);
        PdE2e = _e2e.WithLabels(RouteNames.Pd);
        DecodeOnlyE2e = _e2e.WithLabels(RouteNames.DecodeOnly);
    }

    /// <summary>The registry <c>/metrics</c> serves.</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>Stage: scheduling (incl. prefix lookup).</summary>
    public Histogram.Child Schedule { get; }

    /// <summary>Stage: the prefill call.</summary>
    public Histogram.Child Prefill { get; }

    /// <summary>Stage: prefill response to decode request sent.</summary>
    public Histogram.Child Handoff { get; }

    /// <summary>Stage: decode request sent to its first byte.</summary>
    public Histogram.Child DecodeFirstToken { get; }

    /// <summary>Prefill retries.</summary>
    public Counter PrefillRetries { get; }

    /// <summary>Fallbacks to decode-only.</summary>
    public Counter Fallbacks { get; }

    /// <summary>Requests in flight.</summary>
    public Gauge InFlight { get; }

    private Histogram.Child PdTtft { get; }
    private Histogram.Child DecodeOnlyTtft { get; }
    private Histogram.Child PdItl { get; }
    private Histogram.Child DecodeOnlyItl { get; }
    private Histogram.Child PdE2e { get; }
    private Histogram.Child DecodeOnlyE2e { get; }

    /// <summary>TTFT for <paramref name="route"/>.</summary>
    public Histogram.Child Ttft(string route) => route == RouteNames.Pd ? PdTtft : DecodeOnlyTtft;

    /// <summary>ITL for <paramref name="route"/>.</summary>
    public Histogram.Child Itl(string route) => route == RouteNames.Pd ? PdItl : DecodeOnlyItl;

    /// <summary>End-to-end latency for <paramref name="route"/>.</summary>
    public Histogram.Child E2e(string route) => route == RouteNames.Pd ? PdE2e : DecodeOnlyE2e;

    /// <summary>Counts a decision.</summary>
    public void Decision(string route, string reason) => _decisions.WithLabels(route, reason).Inc();

    /// <summary>Counts an answered request.</summary>
    public void Request(string route, int status) => _requests.WithLabels(route, StatusText(status)).Inc();

    /// <summary>Counts a failed engine call.</summary>
    public void UpstreamError(string role, string kind) => _upstreamErrors.WithLabels(role, kind).Inc();

    private static string StatusText(int status) => status switch
    {
        200 => "200",
        400 => "400",
        401 => "401",
        404 => "404",
        413 => "413",
        499 => "499",
        502 => "502",
        503 => "503",
        504 => "504",
        _ => status.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
