using System.Runtime.ExceptionServices;
using DisaggServing.Engine.Estimation;

namespace DisaggServing.Engine.Calibration;

/// <summary>Runs every calibration point through <see cref="Estimator"/> (each distinct setup once).</summary>
public static class CalibrationRunner
{
    /// <summary>Tolerance the calibration is held to.</summary>
    public const double Tolerance = 0.15;

    /// <summary>
    /// The prediction for every point of <paramref name="points"/> (by default <see cref="CalibrationSet.Points"/>), in
    /// their order; <paramref name="resolve"/> turns a point into the options to estimate (the CLI parses the point's
    /// printed command), by default its own options. Each distinct setup is estimated once, the setups side by side on
    /// the machine's cores: an estimate is a pure function of its options, so the rows do not depend on the order.
    /// </summary>
    public static IReadOnlyList<CalibrationRow> Run(IProgress<double>? progress = null, Func<CalibrationPoint, EstimateOptions>? resolve = null,
        IReadOnlyList<CalibrationPoint>? points = null)
    {
        points ??= CalibrationSet.Points;
        // Resolving parses commands (cheap, and not required to be thread-safe), so it runs first, in order.
        var options = points.Select(p => resolve?.Invoke(p) ?? p.Options).ToArray();
        // A release only names defaults its settings already hold, so the editions' identical runs share one estimate.
        var keys = options.Select(o => o.Engine.Release is null ? o : o with { Engine = o.Engine with { Release = null } }).ToArray();
        var distinct = new Dictionary<EstimateOptions, int>();
        var firstOf = new List<int>();
        for (var i = 0; i < keys.Length; i++)
        {
            if (distinct.TryAdd(keys[i], firstOf.Count)) firstOf.Add(i);
        }
        var results = new EstimateResult[firstOf.Count];
        var done = 0;
        var gate = new object();
        try
        {
            Parallel.For(0, firstOf.Count, j =>
            {
                results[j] = Estimator.Run(options[firstOf[j]]);
                var finished = Interlocked.Increment(ref done);
                if (progress is not null) lock (gate) progress.Report((double)finished / firstOf.Count);
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.Count == 1)
        {
            // A setup that cannot run fails as it would alone (an InputException names its flag), not wrapped.
            ExceptionDispatchInfo.Throw(e.InnerExceptions[0]);
        }
        // Each row carries the options it was estimated with, so its command is the one that ran.
        return [.. points.Select((point, i) => new CalibrationRow(options[i] == point.Options ? point : point with { Options = options[i] },
            point.Predicted(results[distinct[keys[i]]])))];
    }

    /// <summary>Median and largest absolute error over the rows that were (<paramref name="heldOut"/>) or were not kept out of the fit.</summary>
    public static (double Median, double Worst, int Count) Summary(IEnumerable<CalibrationRow> rows, bool heldOut)
    {
        var errors = rows.Where(r => r.Point.HeldOut == heldOut).Select(r => Math.Abs(r.Error)).ToArray();
        return errors.Length == 0 ? (0, 0, 0) : (CalibrationGroup.Median(errors), errors.Max(), errors.Length);
    }
}
