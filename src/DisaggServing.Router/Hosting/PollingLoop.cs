namespace DisaggServing.Router.Hosting;

/// <summary>
/// The loop of the router's background refreshers (discovery, revisions, DNS, health and metrics): run the work now,
/// then again an interval after each run ends, on the given clock, until stopped. A failed run is handed to
/// <c>onFailure</c> with whether it begins a run of failures (so a refresher can log an outage once, not every
/// interval) and the loop goes on; without one, whose work handles its own failures, the exception ends the loop.
/// </summary>
internal static class PollingLoop
{
    public static async Task RunAsync(
        TimeSpan interval, TimeProvider time, Func<CancellationToken, Task> work, Action<Exception, bool>? onFailure, CancellationToken stoppingToken)
    {
        var failing = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await work(stoppingToken).ConfigureAwait(false);
                failing = false;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (onFailure is not null)
            {
                onFailure(ex, !failing);
                failing = true;
            }
            try { await Task.Delay(interval, time, stoppingToken).ConfigureAwait(false); }
            catch (OperationCanceledException) { return; }
        }
    }
}
