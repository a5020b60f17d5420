namespace DisaggServing.Scheduling.Tests;

/// <summary>A candidate engine whose load, health and errors a test sets by hand.</summary>
internal sealed class TestCandidate(string authority, string? engineId = null) : ISchedulingCandidate
{
    private long? _lastError;

    public string? EngineId { get; set; } = engineId;

    public string Authority { get; } = authority;

    public CandidateLoad Load { get; set; }

    public int InFlight { get; private set; }

    public EndpointHealth Health { get; set; }

    public string? Revision { get; set; }

    public void Enter() => InFlight++;

    public void Exit() => InFlight--;

    public void MarkError(long timestamp) => _lastError = timestamp;

    public void ClearError() => _lastError = null;

    public bool ErroredRecently(long now, TimeProvider time, TimeSpan cooldown) =>
        _lastError is { } last && time.GetElapsedTime(last, now) < cooldown;

    public override string ToString() => EngineId ?? Authority;
}
