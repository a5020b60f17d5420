using DisaggServing.Engine.Metrics;
using DisaggServing.Engine.Workloads;

namespace DisaggServing.Cli.Bench;

/// <summary>One <c>disagg bench</c> run, validated.</summary>
internal sealed record BenchSettings
{
    public required Uri Url { get; init; }
    public required string Model { get; init; }
    public string? ApiKey { get; init; }
    public required WorkloadSpec Workload { get; init; }

    /// <summary>Open-loop Poisson rate (req/s); null for closed loop or a trace's own times.</summary>
    public double? Rate { get; init; }

    /// <summary>Closed-loop requests in flight; null for open loop.</summary>
    public int? Concurrency { get; init; }

    /// <summary>Requests to send; null when bounded by <see cref="DurationSeconds"/> only (or a whole trace).</summary>
    public int? Requests { get; init; }

    /// <summary>Seconds during which requests are started; null when bounded by <see cref="Requests"/>.</summary>
    public double? DurationSeconds { get; init; }

    public bool Stream { get; init; }
    public SloSpec Slo { get; init; } = SloSpec.None;
    public bool Chat { get; init; }
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
