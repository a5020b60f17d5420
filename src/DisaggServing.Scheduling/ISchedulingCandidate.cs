namespace DisaggServing.Scheduling;

/// <summary>
/// One engine as the scheduler sees it: what filters, scorers and the decider read. The router's endpoints and the
/// simulator's engines implement it; implementations are read once per pick and must be cheap to read.
/// </summary>
public interface ISchedulingCandidate
{
    /// <summary>The engine id, when known: the KV index's key for the engine.</summary>
    string? EngineId { get; }

    /// <summary>
    /// The second key the KV index may know the engine by (the router's host:port, under which real vLLM engines' KV
    /// events are indexed); equal to the id where there is only one.
    /// </summary>
    string Authority { get; }

    /// <summary>Latest load report (vLLM metrics or registry heartbeat).</summary>
    CandidateLoad Load { get; }

    /// <summary>Requests the scheduler's host has in flight on this engine (never stale).</summary>
    int InFlight { get; }

    /// <summary>Result of the latest health probe.</summary>
    EndpointHealth Health { get; }

    /// <summary>The DisaggregatedSet revision of the engine; null when unknown (then it is not routed to by revision).</summary>
    string? Revision { get; }

    /// <summary>Whether a call to the engine failed within <paramref name="cooldown"/> before <paramref name="now"/>.</summary>
    bool ErroredRecently(long now, TimeProvider time, TimeSpan cooldown);
}
