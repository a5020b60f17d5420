namespace DisaggServing.Engine.Workloads;

/// <summary>
/// Token lengths drawn from a lognormal distribution, clamped to [<see cref="Min"/>, <see cref="Max"/>] and rounded
/// to whole tokens. The location parameter is solved so that the mean of the clamped distribution, not of the raw
/// lognormal, equals the requested mean: clamping the long tail would otherwise pull the mean down.
/// </summary>
public sealed class LognormalLengthDistribution
{
    // Numerical Recipes' erfc fit, lowest order first.
    private static readonly double[] ErfcCoefficients =
    [
        -1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806,
        0.27886807, -1.13520398, 1.48851587, -0.82215223, 0.17087277,
    ];

    /// <summary>Creates the distribution.</summary>
    /// <param name="mean">Mean length after clamping; strictly between <paramref name="min"/> and <paramref name="max"/>.</param>
    /// <param name="sigma">Standard deviation of the length's logarithm (spread; 1.0 is a heavy right tail).</param>
    /// <param name="min">Shortest length, at least 1.</param>
    /// <param name="max">Longest length.</param>
    /// <exception cref="InputException">A parameter is out of range.</exception>
    public LognormalLengthDistribution(double mean, double sigma, int min, int max)
    {
        if (min < 1 || max <= min)
        {
            throw new InputException($"length bounds must satisfy 1 <= min < max; got min {min}, max {max}.");
        }

        if (!(mean > min && mean < max))
        {
            throw new InputException($"mean length must lie strictly between min {min} and max {max}; got {mean}.");
        }

        if (!(sigma > 0) || double.IsInfinity(sigma))
        {
            throw new InputException($"sigma (spread of log length) must be a positive finite number; got {sigma}.");
        }

        Mean = mean;
        Sigma = sigma;
        Min = min;
        Max = max;
        Mu = SolveMu(mean, sigma, min, max);
    }

    /// <summary>Mean length after clamping.</summary>
    public double Mean { get; }

    /// <summary>Standard deviation of the logarithm of the length before clamping.</summary>
    public double Sigma { get; }

    /// <summary>Mean of the logarithm of the length before clamping (solved from <see cref="Mean"/>).</summary>
    public double Mu { get; }

    /// <summary>Shortest length drawn.</summary>
    public int Min { get; }

    /// <summary>Longest length drawn.</summary>
    public int Max { get; }

    /// <summary>Median length before clamping, e^<see cref="Mu"/>.</summary>
    public double Median => Math.Exp(Mu);

    /// <summary>Draws one length.</summary>
    public int Sample(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var value = Math.Exp(Mu + (Sigma * StandardNormal(random)));
        return (int)Math.Round(Math.Clamp(value, Min, Max));
    }

    /// <summary>Mean of exp(N(mu, sigma²)) clamped to [min, max], in closed form.</summary>
    internal static double ClampedMean(double mu, double sigma, double min, double max)
    {
        var lnMin = Math.Log(min);
        var lnMax = Math.Log(max);
        var below = min * NormalCdf((lnMin - mu) / sigma);
        var above = max * (1 - NormalCdf((lnMax - mu) / sigma));
        var inside = Math.Exp(mu + (sigma * sigma / 2))
            * (NormalCdf((lnMax - mu - (sigma * sigma)) / sigma) - NormalCdf((lnMin - mu - (sigma * sigma)) / sigma));
        return below + inside + above;
    }

    private static double SolveMu(double mean, double sigma, int min, int max)
    {
        // The clamped mean rises monotonically from min to max as mu sweeps this range, so bisection converges.
        var lo = Math.Log(min) - (10 * sigma);
        var hi = Math.Log(max) + (10 * sigma);
        for (var i = 0; i < 200 && hi - lo > 1e-12; i++)
        {
            var mid = (lo + hi) / 2;
            if (ClampedMean(mid, sigma, min, max) < mean)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }

        return (lo + hi) / 2;
    }

    internal static double StandardNormal(Random random)
    {
        // Box-Muller with one draw kept: simpler to reason about for determinism than caching the pair.
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    internal static double NormalCdf(double x) => 0.5 * Erfc(-x / Math.Sqrt(2));

    // Complementary error function, Numerical Recipes' Chebyshev fit (fractional error below 1.2e-7).
    private static double Erfc(double x)
    {
        var z = Math.Abs(x);
        var t = 1.0 / (1.0 + (0.5 * z));
        var poly = 0.0;
        for (var i = ErfcCoefficients.Length - 1; i >= 0; i--)
        {
            poly = (poly * t) + ErfcCoefficients[i];
        }

        var r = t * Math.Exp(-(z * z) + poly);
        return x >= 0 ? r : 2.0 - r;
    }
}
