namespace DisaggServing.Scheduling;

/// <summary>What the last <c>/health</c> probe of an engine said.</summary>
public enum EndpointHealth
{
    /// <summary>Not probed yet (treated as healthy).</summary>
    Unknown,

    /// <summary>The last probe answered 2xx.</summary>
    Healthy,

    /// <summary>The last probe was refused or answered non-2xx, or the last few went unanswered.</summary>
    Unhealthy,
}
