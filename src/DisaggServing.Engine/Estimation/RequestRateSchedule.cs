using DisaggServing.Engine.Workloads;

namespace DisaggServing.Engine.Estimation;

/// <summary>
/// When an open-loop benchmark sends each request, as <c>vllm bench serve --request-rate R --burstiness B</c>
/// schedules them: gamma gaps of shape B and mean 1/R summed from the benchmark's start, then scaled so the last
/// request goes out at exactly N/R (vLLM rescales the sum, which otherwise strays 1–2% from it, so throughput does
/// not swing with the seed).
/// </summary>
public static class RequestRateSchedule
{
    /// <summary>Send times in seconds from the benchmark's start of <paramref name="count"/> requests, ascending (all 0 at an infinite rate).</summary>
    /// <exception cref="InputException">The rate or burstiness is not a positive finite number (<see cref="GammaArrivals"/> checks them).</exception>
    public static double[] SendTimes(int count, double ratePerSecond, double burstiness, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        // An infinite rate (vllm bench serve's default) sends every request at the start.
        if (double.IsPositiveInfinity(ratePerSecond)) return new double[count];
        var arrivals = new GammaArrivals(ratePerSecond, burstiness);
        // The same stream the workload generator draws arrivals from, so burstiness 1 is its Poisson process.
        var random = new Random(seed);
        var times = new double[count];
        var now = 0.0;
        for (var i = 0; i < count; i++) times[i] = now += arrivals.NextGapSeconds(random);
        var scale = count / ratePerSecond / times[^1];
        for (var i = 0; i < count; i++) times[i] *= scale;
        return times;
    }
}
