namespace DisaggServing.Engine.Metrics;

/// <summary>
/// Finds the highest request rate a system sustains within its SLO (DistServe's per-GPU goodput): bracket by
/// doubling or halving from an initial rate, then bisect to a relative tolerance. The attainment function should be
/// deterministic and non-increasing in rate (same seed at every rate); the search trusts it to be.
/// </summary>
public static class GoodputSearch
{
    /// <summary>Searches for the highest rate whose attainment is at least the target.</summary>
    /// <param name="attainmentAtRate">SLO attainment (0–1) measured at a request rate; a NaN counts as a miss.</param>
    /// <param name="options">Target, tolerance and budget; defaults when null.</param>
    /// <exception cref="InputException">An option is out of range.</exception>
    public static GoodputSearchResult FindMaxRate(Func<double, double> attainmentAtRate, GoodputSearchOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(attainmentAtRate);
        options ??= new GoodputSearchOptions();
        Validate(options);

        var probes = new List<GoodputProbe>();
        bool Meets(double rate, out double attainment)
        {
            attainment = attainmentAtRate(rate);
            probes.Add(new GoodputProbe(rate, attainment));
            return attainment >= options.TargetAttainment;
        }

        bool Exhausted() => probes.Count >= options.MaxEvaluations;

        double lo, loAttainment, hi;
        var rate = options.InitialRate;
        if (Meets(rate, out var first))
        {
            (lo, loAttainment) = (rate, first);
            while (true)
            {
                rate *= 2;
                if (rate > options.MaxRate || Exhausted())
                {
                    return new GoodputSearchResult(lo, loAttainment, null, false, probes);
                }

                if (!Meets(rate, out var attainment))
                {
                    hi = rate;
                    break;
                }

                (lo, loAttainment) = (rate, attainment);
            }
        }
        else
        {
            hi = rate;
            while (true)
            {
                rate /= 2;
                if (rate < options.MinRate)
                {
                    return new GoodputSearchResult(0, 0, hi, true, probes);
                }

                if (Exhausted())
                {
                    return new GoodputSearchResult(0, 0, hi, false, probes);
                }

                if (Meets(rate, out var attainment))
                {
                    (lo, loAttainment) = (rate, attainment);
                    break;
                }

                hi = rate;
            }
        }

        while (hi - lo > options.RelativeTolerance * lo)
        {
            if (Exhausted())
            {
                return new GoodputSearchResult(lo, loAttainment, hi, false, probes);
            }

            var mid = (lo + hi) / 2;
            if (Meets(mid, out var attainment))
            {
                (lo, loAttainment) = (mid, attainment);
            }
            else
            {
                hi = mid;
            }
        }

        return new GoodputSearchResult(lo, loAttainment, hi, true, probes);
    }

    private static void Validate(GoodputSearchOptions options)
    {
        if (!(options.TargetAttainment > 0 && options.TargetAttainment <= 1))
        {
            throw new InputException($"target attainment must be in (0, 1], e.g. 0.9 for 90% of requests within the SLO; got {options.TargetAttainment}.");
        }

        if (!(options.MinRate > 0) || !(options.InitialRate >= options.MinRate) || !(options.MaxRate >= options.InitialRate) || double.IsInfinity(options.MaxRate))
        {
            throw new InputException(
                $"goodput search rates must satisfy 0 < min rate <= initial rate <= max rate (finite); got {options.MinRate}, {options.InitialRate}, {options.MaxRate}.");
        }

        if (!(options.RelativeTolerance > 0))
        {
            throw new InputException($"goodput search tolerance must be a positive fraction, e.g. 0.01; got {options.RelativeTolerance}.");
        }

        if (options.MaxEvaluations < 1)
        {
            throw new InputException($"goodput search needs at least 1 evaluation; got {options.MaxEvaluations}.");
        }
    }
}
