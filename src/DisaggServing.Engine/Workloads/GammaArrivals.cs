namespace DisaggServing.Engine.Workloads;

/// <summary>
/// Arrivals with gamma-distributed gaps of shape <see cref="Burstiness"/> and mean 1 / rate, as <c>vllm bench serve
/// --burstiness</c> draws them: shape 1 is a Poisson process (exponential gaps), below 1 burstier, above 1 more even.
/// At shape 1 the gaps are drawn exactly as <see cref="PoissonArrivals"/> draws them, so the same seed gives the same
/// arrivals.
/// </summary>
public sealed class GammaArrivals : IArrivalProcess
{
    private readonly PoissonArrivals? _poisson;

    /// <summary>Creates arrivals at <paramref name="ratePerSecond"/> on average with gap shape <paramref name="burstiness"/>.</summary>
    /// <exception cref="InputException">The rate or the burstiness is not a positive finite number.</exception>
    public GammaArrivals(double ratePerSecond, double burstiness)
    {
        if (!(burstiness > 0) || double.IsInfinity(burstiness))
        {
            throw new InputException($"--burstiness must be a positive number (1 = Poisson, below 1 burstier, above 1 more even); got {burstiness}.");
        }

        var poisson = new PoissonArrivals(ratePerSecond);
        RatePerSecond = ratePerSecond;
        Burstiness = burstiness;
        _poisson = burstiness == 1 ? poisson : null;
    }

    /// <summary>Mean arrivals per second.</summary>
    public double RatePerSecond { get; }

    /// <summary>Shape of the gamma distribution of gaps.</summary>
    public double Burstiness { get; }

    /// <inheritdoc />
    public double NextGapSeconds(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (_poisson is not null) return _poisson.NextGapSeconds(random);
        // Scale 1 / (rate × shape) keeps the mean at 1 / rate whatever the shape.
        return StandardGamma(random, Burstiness) / (RatePerSecond * Burstiness);
    }

    // Marsaglia and Tsang's method (2000) for shape ≥ 1; below 1, Gamma(a) = Gamma(a + 1) · U^(1/a).
    private static double StandardGamma(Random random, double shape)
    {
        if (shape < 1)
        {
            var u = 1.0 - random.NextDouble();
            return StandardGamma(random, shape + 1) * Math.Pow(u, 1 / shape);
        }

        var d = shape - 1.0 / 3;
        var c = 1 / Math.Sqrt(9 * d);
        while (true)
        {
            double x, v;
            do
            {
                x = LognormalLengthDistribution.StandardNormal(random);
                v = 1 + c * x;
            }
            while (v <= 0);
            v = v * v * v;
            var u = 1.0 - random.NextDouble();
            if (Math.Log(u) < 0.5 * x * x + d - d * v + d * Math.Log(v)) return d * v;
        }
    }
}
