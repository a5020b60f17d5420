using DisaggServing.Engine.Clock;

namespace DisaggServing.Engine.Tests.Clock;

public class ScaledTimeProviderTests
{
    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Speed_must_be_positive_and_finite(double speed)
    {
        var error = Assert.Throws<InputException>(() => new ScaledTimeProvider(new VirtualTimeProvider(), speed));
        Assert.Contains("speed", error.Message);
    }

    [Fact]
    public void Clock_and_timestamps_run_speed_times_as_fast_as_the_inner_clock()
    {
        var inner = new VirtualTimeProvider();
        inner.AdvanceSeconds(100);
        var scaled = new ScaledTimeProvider(inner, 2.0);
        var start = scaled.GetUtcNow();
        var startTimestamp = scaled.GetTimestamp();
        Assert.Equal(inner.GetUtcNow(), start);

        inner.AdvanceSeconds(1.5);
        Assert.Equal(start.AddSeconds(3), scaled.GetUtcNow());
        Assert.Equal(TimeSpan.FromSeconds(3), scaled.GetElapsedTime(startTimestamp));
        Assert.Equal(inner.TimestampFrequency, scaled.TimestampFrequency);
        Assert.Equal(2.0, scaled.Speed);
    }

    [Fact]
    public void Slower_than_real_time_works_too()
    {
        var inner = new VirtualTimeProvider();
        var scaled = new ScaledTimeProvider(inner, 0.5);
        var start = scaled.GetUtcNow();
        inner.AdvanceSeconds(4);
        Assert.Equal(start.AddSeconds(2), scaled.GetUtcNow());
        Assert.Equal(TimeSpan.FromSeconds(2), scaled.ToInner(TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void Timers_wait_the_simulated_time_divided_by_speed()
    {
        var inner = new VirtualTimeProvider();
        var scaled = new ScaledTimeProvider(inner, 2.0);
        var times = new List<double>();
        using var timer = scaled.CreateTimer(_ => times.Add(inner.ElapsedSeconds), null, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200));

        inner.AdvanceSeconds(0.049);
        Assert.Empty(times);
        inner.AdvanceSeconds(0.001);
        Assert.Equal([0.05], times);
        inner.AdvanceSeconds(0.1);
        Assert.Equal([0.05, 0.15], times);

        Assert.True(timer.Change(TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan));
        inner.AdvanceSeconds(0.5);
        Assert.Equal([0.05, 0.15, 0.65], times);
    }

    [Fact]
    public void Infinite_and_zero_spans_keep_their_meaning_and_tiny_spans_do_not_vanish()
    {
        var scaled = new ScaledTimeProvider(new VirtualTimeProvider(), 1000);
        Assert.Equal(Timeout.InfiniteTimeSpan, scaled.ToInner(Timeout.InfiniteTimeSpan));
        Assert.Equal(TimeSpan.Zero, scaled.ToInner(TimeSpan.Zero));
        Assert.Equal(TimeSpan.FromTicks(1), scaled.ToInner(TimeSpan.FromTicks(1)));
    }

    [Fact]
    public async Task Task_Delay_on_a_scaled_virtual_clock()
    {
        var inner = new VirtualTimeProvider();
        var scaled = new ScaledTimeProvider(inner, 4.0);
        var delay = Task.Delay(TimeSpan.FromSeconds(1), scaled);
        inner.AdvanceSeconds(0.2);
        Assert.False(delay.IsCompleted);
        inner.AdvanceSeconds(0.05);
        await delay.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Wraps_the_system_clock_by_default()
    {
        // A one-minute simulated delay at 6000x waits about 10 ms; the generous timeout only guards against hangs.
        var scaled = new ScaledTimeProvider(6000);
        var before = scaled.GetUtcNow();
        await Task.Delay(TimeSpan.FromMinutes(1), scaled).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(scaled.GetUtcNow() - before >= TimeSpan.FromMinutes(1) - TimeSpan.FromSeconds(1));
    }
}
