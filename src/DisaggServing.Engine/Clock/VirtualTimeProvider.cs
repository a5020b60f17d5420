namespace DisaggServing.Engine.Clock;

/// <summary>
/// A <see cref="TimeProvider"/> for discrete-event simulation: time starts at a fixed epoch and moves only when
/// told to. Timers (and so <c>Task.Delay(…, provider)</c>, lease timeouts, periodic reporters) fire synchronously
/// on the advancing thread, in due-time order with ties in creation order, each seeing the clock at its own due
/// time. Time is kept in whole nanoseconds so repeated small advances never drift.
/// </summary>
/// <remarks>
/// A timer that becomes due while time is not moving (for example one created with a zero due time) fires on the
/// next advance, including <c>Advance(TimeSpan.Zero)</c>, never inside <see cref="CreateTimer"/>; this keeps
/// callbacks out of the caller's own stack frame. Timers may be created, changed and disposed from any thread,
/// but only one thread at a time may advance, and a timer callback must not advance the clock itself. An
/// exception thrown by a callback propagates out of the advancing call with the clock at that timer's due time.
/// </remarks>
public sealed class VirtualTimeProvider : TimeProvider
{
    /// <summary>The epoch used when none is given: 2025-01-01T00:00:00Z.</summary>
    public static readonly DateTimeOffset DefaultEpoch = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private const long NanosPerTick = 1_000_000_000 / TimeSpan.TicksPerSecond;
    private const double NanosPerSecond = 1e9;

    // Far enough out to mean "never" yet safe to add periods to without overflow.
    private const long Never = long.MaxValue / 4;

    private readonly object _gate = new();
    private readonly object _advanceGate = new();
    private readonly SortedSet<VirtualTimer> _queue = new(DueOrder.Instance);
    private long _now;
    private long _nextTimerId;

    /// <summary>Creates a clock at <see cref="DefaultEpoch"/>.</summary>
    public VirtualTimeProvider()
        : this(DefaultEpoch)
    {
    }

    /// <summary>Creates a clock whose time starts at <paramref name="epoch"/>.</summary>
    public VirtualTimeProvider(DateTimeOffset epoch)
    {
        Epoch = epoch;
    }

    /// <summary>The instant this clock started at; <see cref="ElapsedSeconds"/> counts from here.</summary>
    public DateTimeOffset Epoch { get; }

    /// <summary>Time since <see cref="Epoch"/>, to the nanosecond.</summary>
    public long ElapsedNanoseconds => Volatile.Read(ref _now);

    /// <summary>Time since <see cref="Epoch"/> in seconds: the cheap accessor simulators use.</summary>
    public double ElapsedSeconds => ElapsedNanoseconds / NanosPerSecond;

    /// <summary>Time since <see cref="Epoch"/> (truncated to 100 ns ticks).</summary>
    public TimeSpan Elapsed => TimeSpan.FromTicks(ElapsedNanoseconds / NanosPerTick);

    /// <summary>Timers that are scheduled to fire (disposed and stopped ones excluded).</summary>
    public int ActiveTimerCount
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>Seconds since <see cref="Epoch"/> at which the next timer fires, or null when none is scheduled.</summary>
    public double? NextTimerDueSeconds
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count == 0 ? null : _queue.Min!.Due / NanosPerSecond;
            }
        }
    }

    /// <summary>Ticks once per nanosecond, matching the clock's resolution.</summary>
    public override long TimestampFrequency => 1_000_000_000;

    /// <summary>Always UTC, so simulations print the same on every machine.</summary>
    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    /// <inheritdoc />
    public override DateTimeOffset GetUtcNow() => Epoch.AddTicks(ElapsedNanoseconds / NanosPerTick);

    /// <summary>Nanoseconds since <see cref="Epoch"/> (see <see cref="TimestampFrequency"/>).</summary>
    public override long GetTimestamp() => ElapsedNanoseconds;

    /// <summary>Moves time forward by <paramref name="delta"/>, firing every timer that falls due on the way.</summary>
    /// <returns>The number of timer callbacks that ran.</returns>
    public int Advance(TimeSpan delta)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delta, TimeSpan.Zero);
        return AdvanceToNanoseconds(SaturatingAdd(ElapsedNanoseconds, ToNanoseconds(delta)));
    }

    /// <summary>Moves time forward to <paramref name="instant"/>, firing every timer that falls due on the way.</summary>
    /// <returns>The number of timer callbacks that ran.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="instant"/> is before the current time.</exception>
    public int AdvanceTo(DateTimeOffset instant)
    {
        var ticks = (instant - Epoch).Ticks;
        if (ticks < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(instant), instant, "Virtual time cannot move before its epoch.");
        }

        return AdvanceToNanoseconds(ticks > Never / NanosPerTick ? Never : ticks * NanosPerTick);
    }

    /// <summary>Moves time forward by <paramref name="seconds"/> (rounded to the nanosecond).</summary>
    /// <returns>The number of timer callbacks that ran.</returns>
    public int AdvanceSeconds(double seconds)
    {
        if (!(seconds >= 0) || double.IsInfinity(seconds))
        {
            throw new ArgumentOutOfRangeException(nameof(seconds), seconds, "Advance by a finite, non-negative number of seconds.");
        }

        return AdvanceToNanoseconds(SaturatingAdd(ElapsedNanoseconds, SecondsToNanoseconds(seconds)));
    }

    /// <summary>Moves time forward to <paramref name="seconds"/> since <see cref="Epoch"/> (rounded to the nanosecond).</summary>
    /// <returns>The number of timer callbacks that ran.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The target is before the current time.</exception>
    public int AdvanceToSeconds(double seconds)
    {
        if (!(seconds >= 0) || double.IsInfinity(seconds))
        {
            throw new ArgumentOutOfRangeException(nameof(seconds), seconds, "Advance to a finite, non-negative number of seconds.");
        }

        return AdvanceToNanoseconds(SecondsToNanoseconds(seconds));
    }

    /// <summary>
    /// Jumps to the next timer's due time and fires every timer due then (including ones those callbacks create
    /// for the same instant).
    /// </summary>
    /// <returns>False, without moving time, when no timer is scheduled.</returns>
    public bool AdvanceToNextTimer()
    {
        long due;
        lock (_gate)
        {
            if (_queue.Count == 0)
            {
                return false;
            }

            due = _queue.Min!.Due;
        }

        AdvanceToNanoseconds(Math.Max(due, ElapsedNanoseconds));
        return true;
    }

    /// <summary>
    /// Fires timers in order, moving time to each, until none is scheduled. A periodic timer never goes idle, so
    /// this stops with an error after <paramref name="maxCallbacks"/> callbacks rather than spin forever.
    /// </summary>
    /// <returns>The number of timer callbacks that ran.</returns>
    /// <exception cref="InvalidOperationException">Timers were still scheduled after <paramref name="maxCallbacks"/> callbacks.</exception>
    public int RunUntilIdle(int maxCallbacks = 100_000)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxCallbacks);
        var fired = 0;
        while (true)
        {
            long due;
            lock (_gate)
            {
                if (_queue.Count == 0)
                {
                    return fired;
                }

                due = _queue.Min!.Due;
            }

            if (fired >= maxCallbacks)
            {
                throw new InvalidOperationException(
                    $"Timers were still scheduled after {maxCallbacks} callbacks (a periodic timer never goes idle); " +
                    "dispose it, or advance to a fixed time with AdvanceTo instead.");
            }

            fired += AdvanceToNanoseconds(Math.Max(due, ElapsedNanoseconds), maxCallbacks - fired);
        }
    }

    /// <summary>Creates a timer driven by this clock: it fires only as time is advanced past its due time.</summary>
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new VirtualTimer(this, callback, state, Interlocked.Increment(ref _nextTimerId));
        timer.Change(dueTime, period);
        return timer;
    }

    private int AdvanceToNanoseconds(long target, int maxCallbacks = int.MaxValue)
    {
        if (Monitor.IsEntered(_advanceGate))
        {
            throw new InvalidOperationException("A timer callback cannot advance the virtual clock it was fired by.");
        }

        lock (_advanceGate)
        {
            if (target < ElapsedNanoseconds)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(target),
                    $"Virtual time only moves forward: it is {ElapsedSeconds} s and the target is {target / NanosPerSecond} s.");
            }

            var fired = 0;
            while (true)
            {
                TimerCallback callback;
                object? state;
                lock (_gate)
                {
                    if (_queue.Count == 0 || _queue.Min!.Due > target)
                    {
                        Volatile.Write(ref _now, target);
                        return fired;
                    }

                    if (fired >= maxCallbacks)
                    {
                        return fired;
                    }

                    var timer = _queue.Min;
                    _queue.Remove(timer);
                    Volatile.Write(ref _now, Math.Max(timer.Due, _now));

                    // Reschedule before the callback runs so a Change or Dispose inside it has the last word.
                    if (timer.Period > 0)
                    {
                        timer.Due = SaturatingAdd(timer.Due, timer.Period);
                        _queue.Add(timer);
                    }

                    callback = timer.Callback;
                    state = timer.State;
                }

                fired++;
                callback(state);
            }
        }
    }

    private static long ToNanoseconds(TimeSpan span) =>
        span.Ticks > Never / NanosPerTick ? Never : span.Ticks * NanosPerTick;

    private static long SecondsToNanoseconds(double seconds) =>
        seconds * NanosPerSecond >= Never ? Never : (long)Math.Round(seconds * NanosPerSecond);

    private static long SaturatingAdd(long a, long b) => a > Never - b ? Never : a + b;

    private static bool IsValidTimerSpan(TimeSpan span) => span == Timeout.InfiniteTimeSpan || span >= TimeSpan.Zero;

    private sealed class VirtualTimer(VirtualTimeProvider owner, TimerCallback callback, object? state, long id) : ITimer
    {
        private bool _disposed;

        public TimerCallback Callback { get; } = callback;

        public object? State { get; } = state;

        public long Id { get; } = id;

        public long Due { get; set; }

        // Zero means one-shot, as with System.Threading.Timer.
        public long Period { get; private set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            if (!IsValidTimerSpan(dueTime))
            {
                throw new ArgumentOutOfRangeException(nameof(dueTime), dueTime, "Use a non-negative time or Timeout.InfiniteTimeSpan.");
            }

            if (!IsValidTimerSpan(period))
            {
                throw new ArgumentOutOfRangeException(nameof(period), period, "Use a non-negative time or Timeout.InfiniteTimeSpan.");
            }

            lock (owner._gate)
            {
                if (_disposed)
                {
                    return false;
                }

                owner._queue.Remove(this);
                Period = period == Timeout.InfiniteTimeSpan ? 0 : ToNanoseconds(period);
                if (dueTime != Timeout.InfiniteTimeSpan)
                {
                    Due = SaturatingAdd(owner._now, ToNanoseconds(dueTime));
                    owner._queue.Add(this);
                }

                return true;
            }
        }

        public void Dispose()
        {
            lock (owner._gate)
            {
                _disposed = true;
                owner._queue.Remove(this);
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }

    private sealed class DueOrder : IComparer<VirtualTimer>
    {
        public static readonly DueOrder Instance = new();

        public int Compare(VirtualTimer? x, VirtualTimer? y)
        {
            if (ReferenceEquals(x, y))
            {
                return 0;
            }

            var byDue = x!.Due.CompareTo(y!.Due);
            return byDue != 0 ? byDue : x.Id.CompareTo(y.Id);
        }
    }
}
