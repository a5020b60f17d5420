namespace DisaggServing.Engine.Calibration;

/// <summary>
/// One source's figures of one metric, summarized: where the model misses a family of figures, and in which direction.
/// </summary>
/// <param name="Source">The figures' source.</param>
/// <param name="Metric">The quantity they state.</param>
/// <param name="Figures">How many.</param>
/// <param name="HeldOut">How many of them are held out of the fit.</param>
/// <param name="MedianAbsError">Median |error|.</param>
/// <param name="MedianError">Median signed error: above 0, the model predicts more than published.</param>
/// <param name="Within">Figures within the tolerance (<see cref="CalibrationRunner.Tolerance"/>).</param>
/// <param name="Beyond25">Figures off by more than 25%.</param>
/// <param name="Worst">Largest |error|.</param>
public sealed record CalibrationGroup(string Source, CalibrationMetric Metric, int Figures, int HeldOut, double MedianAbsError,
    double MedianError, int Within, int Beyond25, double Worst)
{
    /// <summary>
    /// The groups of <paramref name="rows"/> by source and, within it, by metric, each in the order it first appears.
    /// </summary>
    public static IReadOnlyList<CalibrationGroup> Of(IEnumerable<CalibrationRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return [.. rows.GroupBy(r => r.Point.Source).SelectMany(source => source.GroupBy(r => r.Point.Metric).Select(g =>
        {
            var errors = g.Select(r => r.Error).ToArray();
            var abs = errors.Select(Math.Abs).ToArray();
            return new CalibrationGroup(source.Key, g.Key, errors.Length, g.Count(r => r.Point.HeldOut), Median(abs), Median(errors),
                abs.Count(e => e <= CalibrationRunner.Tolerance), abs.Count(e => e > 0.25), abs.Max());
        }))];
    }

    /// <summary>The median of <paramref name="values"/> (the mean of the middle two for an even count); 0 for none.</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0) return 0;
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
