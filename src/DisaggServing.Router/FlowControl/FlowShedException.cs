namespace DisaggServing.Router.FlowControl;

/// <summary>A request flow control refused: the caller answers 429 with <see cref="RetryAfter"/>.</summary>
public sealed class FlowShedException(ShedReason reason, TimeSpan retryAfter)
    : Exception($"Request shed ({ShedReasons.Label(reason)}); retry after {retryAfter.TotalSeconds:0.#} s.")
{
    /// <summary>Why.</summary>
    public ShedReason Reason { get; } = reason;

    /// <summary>When a retry is likely to find room (whole seconds, at least one).</summary>
    public TimeSpan RetryAfter { get; } = retryAfter;
}
