using DisaggServing.Router.Endpoints;

namespace DisaggServing.Router.Scheduling;

/// <summary>Where a request goes: a decode engine (null when none qualifies) and, for P/D, a prefill engine.</summary>
public sealed record SchedulingResult(EngineEndpoint? Decode, EngineEndpoint? Prefill, DecisionReason Reason)
{
    /// <summary>pd or decode-only.</summary>
    public string Route => Prefill is null ? RouteNames.DecodeOnly : RouteNames.Pd;
}
