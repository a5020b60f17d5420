namespace DisaggServing.Scheduling;

/// <summary>Where a request goes: a decode engine (null when none qualifies) and, for P/D, a prefill engine.</summary>
public readonly record struct SchedulingResult<T>(T? Decode, T? Prefill, DecisionReason Reason) where T : class, ISchedulingCandidate
{
    /// <summary>pd or decode-only.</summary>
    public string Route => Prefill is null ? RouteNames.DecodeOnly : RouteNames.Pd;
}
