using Microsoft.Extensions.Hosting;

namespace DisaggServing.Router.FlowControl;

/// <summary>Ticks the flow controller: expires waiters past their deadline and dispatches when engine load frees room.</summary>
public sealed class FlowControlService(FlowController controller, TimeProvider time) : BackgroundService
{
    /// <summary>How often; deadlines are kept to about this precision.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
                controller.Tick();
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
