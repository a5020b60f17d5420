using DisaggServing.Bench;
using DisaggServing.Engine.Metrics;
using DisaggServing.Engine.Workloads;

namespace DisaggServing.Testing;

/// <summary>
/// Traffic to offer, the same for a live run (<see cref="DisaggApp.RunLoadAsync"/>) and a deterministic one
/// (<see cref="DisaggSimulation"/>): a workload, open loop (<see cref="Rate"/>, Poisson) or closed loop
/// (<see cref="Concurrency"/>), bounded by <see cref="Requests"/> and/or <see cref="DurationSeconds"/>, measured
/// against <see cref="Slo"/>. It is what <c>disagg bench</c> takes on its command line.
/// </summary>
public sealed record LoadSpec
{
    /// <summary>Request lengths: <c>WorkloadSpec.Fixed(1024, 128)</c>, <c>WorkloadSpec.ShareGpt</c>, or a trace (<c>WorkloadSpec.Parse("trace:FILE")</c>).</summary>
    public required WorkloadSpec Workload { get; init; }

    /// <summary>Open loop: Poisson arrivals at this many requests per second.</summary>
    public double? Rate { get; init; }

    /// <summary>Closed loop: keep this many requests in flight (live runs only).</summary>
    public int? Concurrency { get; init; }

    /// <summary>Requests to send.</summary>
    public int? Requests { get; init; }

    /// <summary>Seconds during which requests start (live runs only; with <see cref="Requests"/>, whichever ends first).</summary>
    public double? DurationSeconds { get; init; }

    /// <summary>Stream responses, so TTFT, TPOT and ITL are measured per chunk (without it TTFT is the end-to-end time).</summary>
    public bool Stream { get; init; } = true;

    /// <summary>The objective attainment and goodput are measured against.</summary>
    public SloSpec Slo { get; init; } = SloSpec.None;

    /// <summary>Send chat completions instead of completions.</summary>
    public bool Chat { get; init; }

    /// <summary>Seed of arrivals, lengths and prompt words: the same seed gives the same requests.</summary>
    public int Seed { get; init; }

    /// <summary>Longest one request may take before it counts as a timeout, seconds.</summary>
    public double TimeoutSeconds { get; init; } = 120;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the property to fix when the load cannot run.</summary>
    public LoadSpec Validate()
    {
        ArgumentNullException.ThrowIfNull(Workload, "LoadSpec.Workload");
        if (Rate is not null && Concurrency is not null)
            throw new ArgumentException("LoadSpec.Rate and LoadSpec.Concurrency exclude each other: Rate offers open-loop Poisson load, Concurrency keeps N requests in flight.");
        if (Rate is { } rate && (!(rate > 0) || double.IsInfinity(rate)))
            throw new ArgumentException($"LoadSpec.Rate must be a positive number of requests per second; got {rate}.");
        if (Concurrency is < 1)
            throw new ArgumentException($"LoadSpec.Concurrency must be at least 1; got {Concurrency}.");
        if (Requests is < 1)
            throw new ArgumentException($"LoadSpec.Requests must be at least 1; got {Requests}.");
        if (DurationSeconds is { } d && !(d > 0))
            throw new ArgumentException($"LoadSpec.DurationSeconds must be positive; got {d}.");
        if (!(TimeoutSeconds > 0))
            throw new ArgumentException($"LoadSpec.TimeoutSeconds must be positive; got {TimeoutSeconds}.");
        if (Workload.Kind == WorkloadKind.Trace)
        {
            if (Rate is not null)
                throw new ArgumentException($"LoadSpec.Rate does not apply to workload {Workload}: a trace replays its own arrival times; leave Rate out.");
        }
        else
        {
            if (Rate is null && Concurrency is null)
                throw new ArgumentException($"LoadSpec needs Rate (open loop) or Concurrency (closed loop) with workload {Workload}.");
            if (Requests is null && DurationSeconds is null)
                throw new ArgumentException($"LoadSpec needs Requests or DurationSeconds with workload {Workload}, so the run ends by itself.");
        }

        return this;
    }

    /// <summary>The <c>disagg bench</c> settings of this load against <paramref name="url"/>, serving <paramref name="model"/>.</summary>
    public BenchSettings ToBenchSettings(Uri url, string model, string? apiKey = null) => new()
    {
        Url = url,
        Model = model,
        ApiKey = apiKey,
        Workload = Validate().Workload,
        Rate = Rate,
        Concurrency = Concurrency,
        Requests = Requests,
        DurationSeconds = DurationSeconds,
        Stream = Stream,
        Slo = Slo,
        Chat = Chat,
        Seed = Seed,
        TimeoutSeconds = TimeoutSeconds,
    };
}
