using CsCheck;
using DisaggServing.Engine.Clock;

namespace DisaggServing.Engine.Tests.Clock;

public class VirtualTimeProviderTests
{
    [Fact]
    public void Starts_at_the_epoch_and_moves_only_when_told()
    {
        var epoch = new DateTimeOffset(2030, 5, 6, 7, 8, 9, TimeSpan.Zero);
        var clock = new VirtualTimeProvider(epoch);
        Assert.Equal(epoch, clock.GetUtcNow());
        Assert.Equal(0, clock.ElapsedSeconds);

        clock.Advance(TimeSpan.FromMilliseconds(1500));
        Assert.Equal(epoch.AddMilliseconds(1500), clock.GetUtcNow());
        Assert.Equal(1.5, clock.ElapsedSeconds);

        clock.AdvanceSeconds(0.25);
        Assert.Equal(1.75, clock.ElapsedSeconds);

        clock.AdvanceTo(epoch.AddSeconds(3));
        Assert.Equal(3.0, clock.ElapsedSeconds);

        clock.AdvanceToSeconds(4.5);
        Assert.Equal(TimeSpan.FromSeconds(4.5), clock.Elapsed);
    }

    [Fact]
    public void Default_epoch_is_fixed_and_local_time_is_utc()
    {
        var clock = new VirtualTimeProvider();
        Assert.Equal(VirtualTimeProvider.DefaultEpoch, clock.GetUtcNow());
        Assert.Equal(TimeZoneInfo.Utc, clock.LocalTimeZone);
    }

    [Fact]
    public void Timestamps_agree_with_elapsed_time()
    {
        var clock = new VirtualTimeProvider();
        clock.AdvanceSeconds(10);
        var start = clock.GetTimestamp();
        clock.Advance(TimeSpan.FromMilliseconds(1234));
        Assert.Equal(TimeSpan.FromMilliseconds(1234), clock.GetElapsedTime(start));
        Assert.Equal(1_000_000_000, clock.TimestampFrequency);
    }

    [Fact]
    public void Time_never_moves_backwards()
    {
        var clock = new VirtualTimeProvider();
        clock.AdvanceSeconds(2);
        Assert.Throws<ArgumentOutOfRangeException>(() => clock.AdvanceToSeconds(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => clock.AdvanceTo(clock.Epoch.AddSeconds(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => clock.Advance(TimeSpan.FromTicks(-1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => clock.AdvanceSeconds(-0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => clock.AdvanceSeconds(double.NaN));
        Assert.Equal(2, clock.ElapsedSeconds);
    }

    [Fact]
    public void Many_small_advances_do_not_drift()
    {
        var clock = new VirtualTimeProvider();
        var fired = false;
        using var timer = clock.CreateTimer(_ => fired = true, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        for (var i = 0; i < 999; i++)
        {
            clock.AdvanceSeconds(0.001);
        }

        Assert.False(fired);
        clock.AdvanceSeconds(0.001);
        Assert.True(fired);
        Assert.Equal(1.0, clock.ElapsedSeconds);
    }

    [Fact]
    public void Timers_fire_in_due_order_with_ties_in_creation_order()
    {
        var clock = new VirtualTimeProvider();
        var log = new List<(string Name, double At)>();
        ITimer Make(string name, double dueSeconds) =>
            clock.CreateTimer(_ => log.Add((name, clock.ElapsedSeconds)), null, TimeSpan.FromSeconds(dueSeconds), Timeout.InfiniteTimeSpan);

        using var c = Make("c", 3);
        using var a1 = Make("a1", 1);
        using var b = Make("b", 2);
        using var a2 = Make("a2", 1);

        Assert.Equal(4, clock.ActiveTimerCount);
        Assert.Equal(1.0, clock.NextTimerDueSeconds);
        var fired = clock.AdvanceSeconds(10);

        Assert.Equal(4, fired);
        Assert.Equal([("a1", 1.0), ("a2", 1.0), ("b", 2.0), ("c", 3.0)], log);
        Assert.Equal(10, clock.ElapsedSeconds);
        Assert.Equal(0, clock.ActiveTimerCount);
        Assert.Null(clock.NextTimerDueSeconds);
    }

    [Fact]
    public void Timer_due_later_than_the_advance_waits()
    {
        var clock = new VirtualTimeProvider();
        var count = 0;
        using var timer = clock.CreateTimer(_ => count++, null, TimeSpan.FromSeconds(5), Timeout.InfiniteTimeSpan);
        Assert.Equal(0, clock.AdvanceSeconds(4.999));
        Assert.Equal(0, count);
        Assert.Equal(1, clock.AdvanceSeconds(0.001));
        Assert.Equal(1, count);
        clock.AdvanceSeconds(100);
        Assert.Equal(1, count);
    }

    [Fact]
    public void Periodic_timer_fires_once_per_period_at_each_due_time()
    {
        var clock = new VirtualTimeProvider();
        var times = new List<double>();
        using var timer = clock.CreateTimer(_ => times.Add(clock.ElapsedSeconds), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(0.5));

        clock.AdvanceSeconds(2.2);
        Assert.Equal([1.0, 1.5, 2.0], times);

        clock.AdvanceSeconds(0.3);
        Assert.Equal([1.0, 1.5, 2.0, 2.5], times);
    }

    [Fact]
    public void Periodic_and_one_shot_timers_interleave_by_due_time()
    {
        var clock = new VirtualTimeProvider();
        var log = new List<string>();
        using var tick = clock.CreateTimer(_ => log.Add($"tick@{clock.ElapsedSeconds}"), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        using var once = clock.CreateTimer(_ => log.Add($"once@{clock.ElapsedSeconds}"), null, TimeSpan.FromSeconds(2), Timeout.InfiniteTimeSpan);

        clock.AdvanceSeconds(3);
        Assert.Equal(["tick@1", "tick@2", "once@2", "tick@3"], log);
    }

    [Fact]
    public void Dispose_stops_a_timer_and_Change_after_dispose_returns_false()
    {
        var clock = new VirtualTimeProvider();
        var count = 0;
        var timer = clock.CreateTimer(_ => count++, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        clock.AdvanceSeconds(1);
        timer.Dispose();
        clock.AdvanceSeconds(10);
        Assert.Equal(1, count);
        Assert.False(timer.Change(TimeSpan.Zero, Timeout.InfiniteTimeSpan));
        Assert.Equal(0, clock.ActiveTimerCount);
    }

    [Fact]
    public async Task DisposeAsync_stops_a_timer()
    {
        var clock = new VirtualTimeProvider();
        var count = 0;
        var timer = clock.CreateTimer(_ => count++, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        await timer.DisposeAsync();
        clock.AdvanceSeconds(2);
        Assert.Equal(0, count);
    }

    [Fact]
    public void Change_reschedules_from_the_current_time_and_infinite_disables()
    {
        var clock = new VirtualTimeProvider();
        var times = new List<double>();
        using var timer = clock.CreateTimer(_ => times.Add(clock.ElapsedSeconds), null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);

        clock.AdvanceSeconds(0.5);
        Assert.True(timer.Change(TimeSpan.FromSeconds(2), Timeout.InfiniteTimeSpan));
        clock.AdvanceSeconds(1.9);
        Assert.Empty(times);
        clock.AdvanceSeconds(0.1);
        Assert.Equal([2.5], times);

        Assert.True(timer.Change(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)));
        clock.AdvanceSeconds(1);
        Assert.True(timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan));
        clock.AdvanceSeconds(10);
        Assert.Equal([2.5, 3.5], times);
    }

    [Fact]
    public void Change_inside_a_callback_has_the_last_word()
    {
        var clock = new VirtualTimeProvider();
        var times = new List<double>();
        ITimer? timer = null;
        timer = clock.CreateTimer(
            _ =>
            {
                times.Add(clock.ElapsedSeconds);
                if (times.Count == 2)
                {
                    timer!.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
                }
            },
            null,
            TimeSpan.FromSeconds(1),
            TimeSpan.FromSeconds(1));

        clock.AdvanceSeconds(10);
        Assert.Equal([1.0, 2.0], times);
        timer.Dispose();
    }

    [Fact]
    public void Invalid_timer_spans_are_rejected()
    {
        var clock = new VirtualTimeProvider();
        Assert.Throws<ArgumentOutOfRangeException>(() => clock.CreateTimer(_ => { }, null, TimeSpan.FromSeconds(-2), Timeout.InfiniteTimeSpan));
        using var timer = clock.CreateTimer(_ => { }, null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        Assert.Throws<ArgumentOutOfRangeException>(() => timer.Change(TimeSpan.Zero, TimeSpan.FromSeconds(-2)));
        Assert.Throws<ArgumentNullException>(() => clock.CreateTimer(null!, null, TimeSpan.Zero, TimeSpan.Zero));
    }

    [Fact]
    public void Zero_due_timer_fires_on_the_next_advance_not_inside_CreateTimer()
    {
        var clock = new VirtualTimeProvider();
        var state = new object();
        object? seen = null;
        using var timer = clock.CreateTimer(s => seen = s, state, TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        Assert.Null(seen);
        Assert.Equal(1, clock.Advance(TimeSpan.Zero));
        Assert.Same(state, seen);
    }

    [Fact]
    public void Timers_created_by_a_callback_fire_in_the_same_advance_when_due()
    {
        var clock = new VirtualTimeProvider();
        var log = new List<string>();
        var children = new List<ITimer>();
        using var parent = clock.CreateTimer(
            _ =>
            {
                log.Add($"parent@{clock.ElapsedSeconds}");
                children.Add(clock.CreateTimer(_ => log.Add($"now@{clock.ElapsedSeconds}"), null, TimeSpan.Zero, Timeout.InfiniteTimeSpan));
                children.Add(clock.CreateTimer(_ => log.Add($"later@{clock.ElapsedSeconds}"), null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan));
            },
            null,
            TimeSpan.FromSeconds(1),
            Timeout.InfiniteTimeSpan);

        clock.AdvanceSeconds(5);
        Assert.Equal(["parent@1", "now@1", "later@2"], log);
    }

    [Fact]
    public void A_callback_cannot_advance_its_own_clock()
    {
        var clock = new VirtualTimeProvider();
        Exception? caught = null;
        using var timer = clock.CreateTimer(
            _ => caught = Record.Exception(() => clock.AdvanceSeconds(1)),
            null,
            TimeSpan.FromSeconds(1),
            Timeout.InfiniteTimeSpan);
        clock.AdvanceSeconds(1);
        Assert.IsType<InvalidOperationException>(caught);
    }

    [Fact]
    public void A_throwing_callback_propagates_with_the_clock_at_its_due_time()
    {
        var clock = new VirtualTimeProvider();
        using var timer = clock.CreateTimer(_ => throw new InvalidTimeZoneException("boom"), null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
        Assert.Throws<InvalidTimeZoneException>(() => clock.AdvanceSeconds(5));
        Assert.Equal(1, clock.ElapsedSeconds);
        clock.AdvanceSeconds(1);
        Assert.Equal(2, clock.ElapsedSeconds);
    }

    [Fact]
    public void AdvanceToNextTimer_jumps_to_the_next_due_time()
    {
        var clock = new VirtualTimeProvider();
        var log = new List<double>();
        using var a = clock.CreateTimer(_ => log.Add(clock.ElapsedSeconds), null, TimeSpan.FromSeconds(3), Timeout.InfiniteTimeSpan);
        using var b = clock.CreateTimer(_ => log.Add(clock.ElapsedSeconds), null, TimeSpan.FromSeconds(7), Timeout.InfiniteTimeSpan);

        Assert.True(clock.AdvanceToNextTimer());
        Assert.Equal(3, clock.ElapsedSeconds);
        Assert.True(clock.AdvanceToNextTimer());
        Assert.Equal(7, clock.ElapsedSeconds);
        Assert.False(clock.AdvanceToNextTimer());
        Assert.Equal(7, clock.ElapsedSeconds);
        Assert.Equal([3.0, 7.0], log);
    }

    [Fact]
    public void RunUntilIdle_drains_one_shot_timers_and_refuses_to_spin_on_periodic_ones()
    {
        var clock = new VirtualTimeProvider();
        var count = 0;
        var timers = Enumerable.Range(1, 5)
            .Select(i => clock.CreateTimer(_ => count++, null, TimeSpan.FromSeconds(i), Timeout.InfiniteTimeSpan))
            .ToList();
        Assert.Equal(5, clock.RunUntilIdle());
        Assert.Equal(5, count);
        Assert.Equal(5, clock.ElapsedSeconds);

        using var periodic = clock.CreateTimer(_ => count++, null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        var error = Assert.Throws<InvalidOperationException>(() => clock.RunUntilIdle(maxCallbacks: 10));
        Assert.Contains("periodic", error.Message);
        Assert.Equal(15, count);
        Assert.Equal(15, clock.ElapsedSeconds);
        timers.ForEach(t => t.Dispose());
    }

    [Fact]
    public async Task Task_Delay_completes_only_when_the_clock_is_advanced()
    {
        var clock = new VirtualTimeProvider();
        var delay = Task.Delay(TimeSpan.FromSeconds(2), clock);
        Assert.False(delay.IsCompleted);

        clock.AdvanceSeconds(1.999);
        Assert.False(delay.IsCompleted);

        clock.AdvanceSeconds(0.001);
        await delay.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(delay.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task CancellationTokenSource_with_the_virtual_clock_cancels_on_advance()
    {
        var clock = new VirtualTimeProvider();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30), clock);
        clock.AdvanceSeconds(29);
        Assert.False(cts.IsCancellationRequested);
        clock.AdvanceSeconds(1);
        Assert.True(cts.IsCancellationRequested);
        await Task.CompletedTask;
    }

    [Fact]
    public void Any_schedule_fires_in_due_then_creation_order_with_the_clock_at_each_due_time()
    {
        var schedule = Gen.Int[0, 50].Array[1, 30];
        var steps = Gen.Int[0, 20].Array[1, 10];
        Gen.Select(schedule, steps).Sample((dues, advances) =>
        {
            var clock = new VirtualTimeProvider();
            var fired = new List<(int Index, long At)>();
            var timers = dues
                .Select((due, i) => clock.CreateTimer(
                    _ => fired.Add((i, clock.ElapsedNanoseconds)),
                    null,
                    TimeSpan.FromMilliseconds(due),
                    Timeout.InfiniteTimeSpan))
                .ToList();

            foreach (var step in advances)
            {
                clock.Advance(TimeSpan.FromMilliseconds(step));
            }

            var horizon = advances.Sum();
            var expected = dues
                .Select((due, i) => (Index: i, At: due * 1_000_000L))
                .Where(t => t.At <= horizon * 1_000_000L)
                .OrderBy(t => t.At)
                .ThenBy(t => t.Index)
                .ToList();
            Assert.Equal(expected, fired);
            timers.ForEach(t => t.Dispose());
        });
    }
}
