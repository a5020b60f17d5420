namespace DisaggServing.Engine.Clock;

/// <summary>
/// A <see cref="TimeProvider"/> for live workers whose simulated time runs <see cref="Speed"/> times as fast as
/// an underlying clock (the system clock by default): at speed 2.0 a 100 ms simulated delay waits 50 ms of wall
/// time, and the clock reads 2 s later after 1 s of wall time. Time starts at the inner clock's reading when this
/// provider is created and runs forward from there, scaled.
/// </summary>
public sealed class ScaledTimeProvider : TimeProvider
{
    private readonly TimeProvider _inner;
    private readonly long _startTimestamp;
    private readonly DateTimeOffset _startUtc;

    /// <summary>Scales the system clock by <paramref name="speed"/>.</summary>
    /// <exception cref="InputException"><paramref name="speed"/> is not a positive finite number.</exception>
    public ScaledTimeProvider(double speed)
        : this(System, speed)
    {
    }

    /// <summary>Scales <paramref name="inner"/> by <paramref name="speed"/>.</summary>
    /// <exception cref="InputException"><paramref name="speed"/> is not a positive finite number.</exception>
    public ScaledTimeProvider(TimeProvider inner, double speed)
    {
        ArgumentNullException.ThrowIfNull(inner);
        if (!(speed > 0) || double.IsInfinity(speed))
        {
            throw new InputException(
                $"speed must be a positive finite number (1.0 = real time, 2.0 = simulated time runs twice as fast); got {speed}.");
        }

        _inner = inner;
        Speed = speed;
        _startTimestamp = inner.GetTimestamp();
        _startUtc = inner.GetUtcNow();
    }

    /// <summary>Simulated seconds per second of the inner clock.</summary>
    public double Speed { get; }

    /// <summary>The inner clock's frequency: timestamps are scaled, not re-based.</summary>
    public override long TimestampFrequency => _inner.TimestampFrequency;

    /// <inheritdoc />
    public override TimeZoneInfo LocalTimeZone => _inner.LocalTimeZone;

    /// <summary>The start instant plus the inner clock's elapsed time multiplied by <see cref="Speed"/>.</summary>
    public override DateTimeOffset GetUtcNow()
    {
        var innerElapsed = _inner.GetElapsedTime(_startTimestamp);
        return _startUtc + TimeSpan.FromTicks((long)(innerElapsed.Ticks * Speed));
    }

    /// <summary>A timestamp that advances <see cref="Speed"/> times as fast as the inner clock's.</summary>
    public override long GetTimestamp() =>
        _startTimestamp + (long)((_inner.GetTimestamp() - _startTimestamp) * Speed);

    /// <summary>A timer on the inner clock whose due time and period are divided by <see cref="Speed"/>.</summary>
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return new ScaledTimer(this, _inner.CreateTimer(callback, state, ToInner(dueTime), ToInner(period)));
    }

    /// <summary>The inner-clock span that lasts <paramref name="simulated"/> of simulated time.</summary>
    public TimeSpan ToInner(TimeSpan simulated)
    {
        if (simulated == Timeout.InfiniteTimeSpan || simulated <= TimeSpan.Zero)
        {
            // Infinite stays infinite, zero stays zero, and negatives reach the inner clock's own validation.
            return simulated;
        }

        // A non-zero span never rounds to zero: a zero period would turn a periodic timer into a one-shot.
        return TimeSpan.FromTicks(Math.Max(1, (long)Math.Round(simulated.Ticks / Speed)));
    }

    private sealed class ScaledTimer(ScaledTimeProvider owner, ITimer inner) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => inner.Change(owner.ToInner(dueTime), owner.ToInner(period));

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
