namespace DisaggServing.Worker.ControlPlane;

/// <summary>Capped exponential backoff for retries against the KV-transfer service.</summary>
public sealed class Backoff(TimeSpan initial, TimeSpan max)
{
    private readonly TimeSpan _initial = initial;
    private TimeSpan _next = initial;

    /// <summary>The wait before the next try; each call doubles it up to the cap.</summary>
    public TimeSpan Next()
    {
        var wait = _next;
        _next = TimeSpan.FromTicks(Math.Min(max.Ticks, _next.Ticks * 2));
        return wait;
    }

    public void Reset() => _next = _initial;
}
