namespace DisaggServing.Engine.Workloads;

/// <summary>
/// Arrivals of a Poisson process: exponential gaps with mean 1 / rate, as vLLM's benchmark_serving and the
/// vLLM and DistServe papers generate them. Gaps come from one uniform draw each, so the same seed at another
/// rate gives the same arrivals scaled by the ratio of rates (which keeps goodput searches monotone).
/// </summary>
public sealed class PoissonArrivals : IArrivalProcess
{
    /// <summary>Creates arrivals at <paramref name="ratePerSecond"/> requests per second on average.</summary>
    /// <exception cref="InputException">The rate is not a positive finite number.</exception>
    public PoissonArrivals(double ratePerSecond)
    {
        if (!(ratePerSecond > 0) || double.IsInfinity(ratePerSecond))
        {
            throw new InputException(
                $"request rate must be a positive number of requests per second; got {ratePerSecond} (leave it out to send every request at t=0).");
        }

        RatePerSecond = ratePerSecond;
    }

    /// <summary>Mean arrivals per second.</summary>
    public double RatePerSecond { get; }

    /// <inheritdoc />
    public double NextGapSeconds(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);

        // 1 - U lies in (0, 1], so the logarithm is finite.
        return -Math.Log(1.0 - random.NextDouble()) / RatePerSecond;
    }
}
