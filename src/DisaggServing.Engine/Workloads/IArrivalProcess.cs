namespace DisaggServing.Engine.Workloads;

/// <summary>Draws the gaps between consecutive request arrivals.</summary>
public interface IArrivalProcess
{
    /// <summary>Seconds from the previous arrival (or from time 0, for the first request) to the next one.</summary>
    double NextGapSeconds(Random random);
}
