using DisaggServing.Engine.Estimation;

namespace DisaggServing.Engine.Calibration;

/// <summary>Runs every calibration point through <see cref="Estimator"/> (each distinct setup once).</summary>
public static class CalibrationRunner
{
    /// <summary>Tolerance the calibration is held to.</summary>
    public const double Tolerance = 0.15;

    /// <summary>The prediction for every point of <see cref="CalibrationSet.Points"/>.</summary>
    public static IReadOnlyList<CalibrationRow> Run(IProgress<double>? progress = null)
    {
        var results = new Dictionary<EstimateOptions, EstimateResult>();
        var points = CalibrationSet.Points;
        var rows = new List<CalibrationRow>(points.Count);
        for (var i = 0; i < points.Count; i++)
        {
            var point = points[i];
            if (!results.TryGetValue(point.Options, out var result))
                results[point.Options] = result = Estimator.Run(point.Options);
            rows.Add(new CalibrationRow(point, point.Predicted(result)));
            progress?.Report((i + 1.0) / points.Count);
        }
        return rows;
    }
}
