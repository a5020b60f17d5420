using DisaggServing.Engine.Clock;
using DisaggServing.Worker.Runtime;

namespace DisaggServing.Worker.Tests;

public sealed class WakeSignalTests
{
    [Fact]
    public async Task A_set_before_the_wait_is_not_lost_and_is_consumed_once()
    {
        var signal = new WakeSignal();
        var clock = new VirtualTimeProvider();
        signal.Set();

        await signal.WaitAsync(Timeout.InfiniteTimeSpan, clock, CancellationToken.None);
        var second = signal.WaitAsync(Timeout.InfiniteTimeSpan, clock, CancellationToken.None);

        Assert.False(second.IsCompleted);
        signal.Set();
        await second.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task A_wait_ends_when_its_timeout_passes_on_the_given_clock()
    {
        var signal = new WakeSignal();
        var clock = new VirtualTimeProvider();
        var wait = signal.WaitAsync(TimeSpan.FromSeconds(30), clock, CancellationToken.None);

        Assert.False(wait.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(30));
        await wait.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Cancellation_ends_a_wait()
    {
        var signal = new WakeSignal();
        using var cancel = new CancellationTokenSource();
        var wait = signal.WaitAsync(Timeout.InfiniteTimeSpan, TimeProvider.System, cancel.Token);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);
    }
}
