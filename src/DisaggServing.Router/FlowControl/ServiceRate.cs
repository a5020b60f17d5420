namespace DisaggServing.Router.FlowControl;

/// <summary>
/// Recent completions per second, from the timestamps of the last completions within a window: what a queue wait is
/// estimated from. Unknown (null) until two completions fall in the window. Not thread-safe: the caller locks.
/// </summary>
public sealed class ServiceRate(TimeProvider time, int samples = 256, TimeSpan? window = null)
{
    private readonly long[] _ring = new long[Math.Max(2, samples)];
    private readonly TimeSpan _window = window ?? TimeSpan.FromSeconds(30);
    private int _count;
    private int _next;

    /// <summary>Records a completion at <paramref name="timestamp"/>.</summary>
    public void Record(long timestamp)
    {
        _ring[_next] = timestamp;
        _next = (_next + 1) % _ring.Length;
        _count = Math.Min(_count + 1, _ring.Length);
    }

    /// <summary>
    /// Completions per second over the samples within the window before <paramref name="now"/>, measured up to now so
    /// that an idle spell lowers the rate; null when fewer than two.
    /// </summary>
    public double? PerSecond(long now)
    {
        var n = 0;
        long oldest = 0;
        for (var i = 0; i < _count; i++)
        {
            var sample = _ring[(_next - 1 - i + _ring.Length) % _ring.Length];
            if (time.GetElapsedTime(sample, now) > _window) break;
            oldest = sample;
            n++;
        }
        if (n < 2) return null;
        var span = time.GetElapsedTime(oldest, now).TotalSeconds;
        return span > 0 ? n / span : null;
    }
}
