using System.Diagnostics;

namespace DisaggServing.Worker.Group;

/// <summary>
/// Ends the process at once, non-zero, as vLLM's engine does when a pipeline stage dies: the group is broken, and
/// LeaderWorkerSet (or the AppHost, locally) recreates it whole. No graceful stop: there is nothing left to drain.
/// </summary>
public sealed class ProcessGroupExit(ILogger<ProcessGroupExit> logger) : IGroupExit
{
    public void Exit(string reason)
    {
        logger.LogCritical("Group broken, exiting: {Reason}", reason);
        // The logger writes on a background queue the kill would cut short; stderr is written now.
        Console.Error.WriteLine($"group broken, exiting: {reason}");
        Process.GetCurrentProcess().Kill();
    }
}
