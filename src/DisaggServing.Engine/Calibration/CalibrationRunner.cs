using DisaggServing.Engine.Estimation;

namespace DisaggServing.Engine.Calibration;

/// <summary>Runs every calibration point through <see cref="Estimator"/> (each distinct setup once).</summary>
public static class CalibrationRunner
{
    /// <summary>Tolerance the calibration is held to.</summary>
    public const double Tolerance = 0.15;

    /// <summary>
    /// The prediction for every point of <see cref="CalibrationSet.Points"/>; <paramref name="resolve"/> turns a
    /// point into the options to estimate (the CLI parses the point's printed command), by default its own options.
    /// </summary>
    public static IReadOnlyList<CalibrationRow> Run(IProgress<double>? progress = null, Func<CalibrationPoint, EstimateOptions>? resolve = null)
    {
        var results = new Dictionary<EstimateOptions, EstimateResult>();
        var points = CalibrationSet.Points;
        var rows = new List<CalibrationRow>(points.Count);
        for (var i = 0; i < points.Count; i++)
        {
            var point = points[i];
            var options = resolve?.Invoke(point) ?? point.Options;
            // A release only names defaults its settings already hold, so the editions' identical runs share one estimate.
            var key = options.Engine.Release is null ? options : options with { Engine = options.Engine with { Release = null } };
            if (!results.TryGetValue(key, out var result))
                results[key] = result = Estimator.Run(options);
            // The row carries the options it was estimated with, so its command is the one that ran.
            rows.Add(new CalibrationRow(options == point.Options ? point : point with { Options = options }, point.Predicted(result)));
            progress?.Report((i + 1.0) / points.Count);
        }
        return rows;
    }

    /// <summary>Median and largest absolute error over the checked rows that were (<paramref name="heldOut"/>) or were not kept out of the fit.</summary>
    public static (double Median, double Worst, int Count) Summary(IEnumerable<CalibrationRow> rows, bool heldOut)
    {
        var errors = rows.Where(r => r.Point.HeldOut == heldOut).Select(r => Math.Abs(r.Error)).Order().ToArray();
        if (errors.Length == 0) return (0, 0, 0);
        var mid = errors.Length / 2;
        var median = errors.Length % 2 == 1 ? errors[mid] : (errors[mid - 1] + errors[mid]) / 2;
        return (median, errors[^1], errors.Length);
    }
}
