namespace DisaggServing.Engine.Workloads;

/// <summary>Builds seeded, reproducible synthetic workloads.</summary>
public static class WorkloadGenerator
{
    /// <summary>
    /// Generates <paramref name="count"/> requests in arrival order. The same arguments always give the same list.
    /// Lengths and arrivals use separate random streams, so changing the arrival process or rate leaves every
    /// request's lengths unchanged.
    /// </summary>
    /// <exception cref="InputException"><paramref name="count"/> is negative.</exception>
    public static WorkloadRequest[] Generate(ILengthSampler lengths, IArrivalProcess arrivals, int count, int seed)
    {
        ArgumentNullException.ThrowIfNull(lengths);
        ArgumentNullException.ThrowIfNull(arrivals);
        if (count < 0)
        {
            throw new InputException($"number of requests must be zero or more; got {count}.");
        }

        // System.Random with a seed uses a fixed legacy algorithm, stable across .NET versions and machines.
        var arrivalRandom = new Random(seed);
        var lengthRandom = new Random(unchecked(seed ^ 0x5bd1e995));
        var requests = new WorkloadRequest[count];
        var now = 0.0;
        for (var i = 0; i < count; i++)
        {
            now += arrivals.NextGapSeconds(arrivalRandom);
            var (input, output) = lengths.Sample(lengthRandom);
            requests[i] = new WorkloadRequest(now, input, output);
        }

        return requests;
    }
}
