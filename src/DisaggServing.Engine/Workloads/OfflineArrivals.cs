namespace DisaggServing.Engine.Workloads;

/// <summary>Every request arrives at t = 0: an offline (batch) run that measures peak throughput.</summary>
public sealed class OfflineArrivals : IArrivalProcess
{
    /// <summary>The one instance; the process has no state.</summary>
    public static readonly OfflineArrivals Instance = new();

    private OfflineArrivals()
    {
    }

    /// <summary>Always 0.</summary>
    public double NextGapSeconds(Random random) => 0;
}
