namespace DisaggServing.Scheduling;

/// <summary>Host settings plugins fall back on when their own parameters leave a value out.</summary>
public sealed record SchedulingOptions
{
    /// <summary>How long an engine that failed a call is kept out by the health filter (Router:ErrorCooldownMs).</summary>
    public int ErrorCooldownMs { get; init; } = 5000;
}
