using DisaggServing.Router.Hosting;

namespace DisaggServing.Router.Tests.Unit;

/// <summary>The background refreshers' loop: an outage is reported once, the loop outlives it, and stopping ends it.</summary>
public sealed class PollingLoopTests
{
    [Fact]
    public async Task A_run_of_failures_is_reported_as_beginning_once_and_the_loop_goes_on_until_stopped()
    {
        using var stop = new CancellationTokenSource();
        var calls = 0;
        var reports = new List<bool>();
        Task Work(CancellationToken _)
        {
            calls++;
            if (calls == 5) stop.Cancel();
            return calls is 1 or 2 or 4 ? Task.FromException(new InvalidOperationException("down")) : Task.CompletedTask;
        }

        await PollingLoop.RunAsync(TimeSpan.FromMilliseconds(1), TimeProvider.System, Work, (_, first) => reports.Add(first), stop.Token)
            .WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(5, calls);
        Assert.Equal([true, false, true], reports);
    }

    [Fact]
    public async Task Without_a_failure_handler_a_failed_run_ends_the_loop_with_its_exception()
    {
        var calls = 0;
        Task Work(CancellationToken _) => ++calls == 2 ? Task.FromException(new InvalidOperationException("down")) : Task.CompletedTask;

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            PollingLoop.RunAsync(TimeSpan.FromMilliseconds(1), TimeProvider.System, Work, onFailure: null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(2, calls);
    }
}
