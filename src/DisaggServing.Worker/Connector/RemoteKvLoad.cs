namespace DisaggServing.Worker.Connector;

/// <summary>How a remote KV load ended.</summary>
/// <param name="Outcome">What the engine does next.</param>
/// <param name="Error">Why the load failed; null when it did not.</param>
public sealed record RemoteKvLoad(RemoteKvLoadOutcome Outcome, string? Error = null)
{
    /// <summary>The load that succeeded.</summary>
    public static RemoteKvLoad Loaded { get; } = new(RemoteKvLoadOutcome.Loaded);
}
