using DisaggServing.Engine.Metrics;
using DisaggServing.Engine.Workloads;

namespace DisaggServing.Bench;

/// <summary>One <c>disagg bench</c> run, validated.</summary>
public sealed record BenchSettings
{
    /// <summary>Base URL of the OpenAI-compatible server; /v1/... is appended.</summary>
    public required Uri Url { get; init; }
    /// <summary>Model id sent in each request.</summary>
    public required string Model { get; init; }
    /// <summary>Bearer token sent as the Authorization header, if any.</summary>
    public string? ApiKey { get; init; }
    /// <summary>Request lengths (and, for a trace, arrival times).</summary>
    public required WorkloadSpec Workload { get; init; }

    /// <summary>Open-loop Poisson rate (req/s); null for closed loop or a trace's own times.</summary>
    public double? Rate { get; init; }

    /// <summary>Closed-loop requests in flight; null for open loop.</summary>
    public int? Concurrency { get; init; }

    /// <summary>Requests to send; null when bounded by <see cref="DurationSeconds"/> only (or a whole trace).</summary>
    public int? Requests { get; init; }

    /// <summary>Seconds during which requests are started; null when bounded by <see cref="Requests"/>.</summary>
    public double? DurationSeconds { get; init; }

    /// <summary>Stream responses and time every chunk.</summary>
    public bool Stream { get; init; }
    /// <summary>The objective attainment and goodput are measured against.</summary>
    public SloSpec Slo { get; init; } = SloSpec.None;
    /// <summary>Send chat completions instead of completions.</summary>
    public bool Chat { get; init; }
    /// <summary>Seed of arrivals, lengths and prompt words.</summary>
    public int Seed { get; init; }

    /// <summary>Longest a single request may take before it counts as a timeout.</summary>
    public double TimeoutSeconds { get; init; } = 600;

    /// <summary>The URL requests go to: <c>URL/v1/completions</c> or <c>URL/v1/chat/completions</c> (no doubled /v1).</summary>
    public Uri Endpoint
    {
        get
        {
            var path = Url.AbsolutePath.TrimEnd('/');
            if (!path.EndsWith("/v1", StringComparison.Ordinal))
            {
                path += "/v1";
            }

            return new UriBuilder(Url) { Path = path + (Chat ? "/chat/completions" : "/completions") }.Uri;
        }
    }

    /// <summary>How load is offered, for the report: "poisson", "closed-loop" or "trace".</summary>
    public string LoadMode => Concurrency is not null ? "closed-loop" : Rate is not null ? "poisson" : "trace";
}
