using System.Diagnostics;

namespace DisaggServing.Worker.Admin;

/// <summary>Kills the process outright (SIGKILL, exit code 137 on Linux): no graceful shutdown, no deregistration, as a real crash.</summary>
public sealed class ProcessCrash(ILogger<ProcessCrash> logger) : ICrashAction
{
    public void Crash()
    {
        logger.LogCritical("Injected fault: crashing now");
        Process.GetCurrentProcess().Kill();
    }
}
