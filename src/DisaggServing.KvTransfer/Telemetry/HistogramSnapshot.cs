namespace DisaggServing.KvTransfer.Telemetry;

/// <summary>A point-in-time copy of a <see cref="DurationHistogram"/>.</summary>
/// <param name="UpperBounds">Bucket upper bounds in seconds, ascending; a last, unbounded bucket follows them.</param>
/// <param name="Counts">Observations per bucket (not cumulative); one more entry than <paramref name="UpperBounds"/>.</param>
/// <param name="Count">Observations in all.</param>
/// <param name="Sum">Sum of the observations, seconds.</param>
public sealed record HistogramSnapshot(IReadOnlyList<double> UpperBounds, IReadOnlyList<long> Counts, long Count, double Sum)
{
    /// <summary>Mean observation, or 0 when there is none.</summary>
    public double Mean => Count == 0 ? 0 : Sum / Count;

    /// <summary>
    /// The <paramref name="quantile"/> (0..1) estimated by linear interpolation inside its bucket, as Prometheus'
    /// histogram_quantile does; the unbounded bucket reports the highest bound. 0 when empty.
    /// </summary>
    public double Quantile(double quantile)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(quantile, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quantile, 1);
        if (Count == 0)
            return 0;
        var rank = quantile * Count;
        long seen = 0;
        for (var i = 0; i < Counts.Count; i++)
        {
            var inBucket = Counts[i];
            if (inBucket > 0 && seen + inBucket >= rank)
            {
                if (i == UpperBounds.Count)
                    return UpperBounds.Count == 0 ? 0 : UpperBounds[^1];
                var lower = i == 0 ? 0 : UpperBounds[i - 1];
                return lower + ((UpperBounds[i] - lower) * (rank - seen) / inBucket);
            }

            seen += inBucket;
        }

        return UpperBounds.Count == 0 ? 0 : UpperBounds[^1];
    }
}
