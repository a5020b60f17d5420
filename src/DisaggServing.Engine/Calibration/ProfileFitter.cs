using DisaggServing.Engine.Estimation;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Calibration;

/// <summary>
/// Fits one GPU/engine profile's free constants to measured points by least squares on log errors
/// (Levenberg–Marquardt over the logs of the constants, Jacobian by finite differences through the estimator).
/// The free constants are those the measurements separate: GEMM efficiency (prefill, TTFT), HBM efficiency and
/// the host cost per step (decode, ITL, at different batch sizes) and the server cost per first token; attention
/// efficiency, the layer floor and the per-sequence cost keep their starting values.
/// </summary>
public static class ProfileFitter
{
    private const int Free = 4;
    private const double Step = 0.02; // relative finite-difference step: the simulation is step-quantized

    /// <summary>Fits the constants of <paramref name="points"/>' engine (all must share GPU and engine), starting from <paramref name="start"/> (default: the built-in set).</summary>
    public static ProfileFit Fit(IReadOnlyList<MeasuredPoint> points, PerformanceConstants? start = null, int iterations = 12)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count == 0) throw new InputException("--fit needs at least one measured point.");
        var spec = points[0].Options.Engine;
        if (points.Any(p => p.Options.Engine.Gpu.Id != spec.Gpu.Id || p.Options.Engine.Engine.Engine != spec.Engine.Engine))
            throw new InputException("All measurements of one fit must come from one GPU and one engine; fit each GPU/engine pair separately.");
        var before = start ?? PerformanceConstants.Resolve(spec.Gpu, spec.Engine);
        foreach (var p in points)
            if (!(p.Measured > 0)) throw new InputException($"{p.Label}: a measured {p.Metric} must be positive; got {p.Measured}.");

        var x = Encode(before);
        var r = Residuals(points, Decode(x, before));
        var cost = SumSquares(r);
        var lambda = 1e-2;
        for (var it = 0; it < iterations && cost > 1e-10; it++)
        {
            var jacobian = new double[r.Length, Free];
            for (var j = 0; j < Free; j++)
            {
                var xj = (double[])x.Clone();
                xj[j] += Step;
                var rj = Residuals(points, Decode(xj, before));
                for (var i = 0; i < r.Length; i++) jacobian[i, j] = (rj[i] - r[i]) / Step;
            }
            var improved = false;
            for (var attempt = 0; attempt < 6 && !improved; attempt++)
            {
                var delta = Solve(jacobian, r, lambda);
                var candidate = x.Select((v, j) => v + Math.Clamp(delta[j], -1, 1)).ToArray();
                var rc = Residuals(points, Decode(candidate, before));
                var cc = SumSquares(rc);
                if (cc < cost)
                {
                    (x, r, cost, improved) = (candidate, rc, cc, true);
                    lambda = Math.Max(lambda / 3, 1e-6);
                }
                else lambda *= 4;
            }
            if (!improved) break;
        }

        var after = Decode(x, before);
        var predictedBefore = Predict(points, before);
        var predictedAfter = Predict(points, after);
        var rows = points.Select((p, i) => new ProfileFitRow(p, predictedBefore[i], predictedAfter[i])).ToList();
        return new ProfileFit(before, after, rows);
    }

    /// <summary>Each point's prediction with <paramref name="constants"/> (each distinct setup estimated once).</summary>
    public static double[] Predict(IReadOnlyList<MeasuredPoint> points, PerformanceConstants constants)
    {
        var cache = new Dictionary<EstimateOptions, EstimateResult>();
        var predicted = new double[points.Count];
        for (var i = 0; i < points.Count; i++)
        {
            var options = points[i].Options with { Engine = points[i].Options.Engine with { Constants = constants } };
            if (!cache.TryGetValue(options, out var result)) cache[options] = result = Estimator.Run(options);
            predicted[i] = result.Of(points[i].Metric);
        }
        return predicted;
    }

    private static double[] Residuals(IReadOnlyList<MeasuredPoint> points, PerformanceConstants constants)
    {
        var predicted = Predict(points, constants);
        return predicted.Select((p, i) => Math.Log(Math.Max(p, 1e-12) / points[i].Measured)).ToArray();
    }

    // Logs of the free constants; the host costs get a floor so that a zero start can move.
    private static double[] Encode(PerformanceConstants c) =>
        [Math.Log(c.GemmEfficiency), Math.Log(c.HbmEfficiency), Math.Log(Math.Max(c.StepSeconds, 1e-5)), Math.Log(Math.Max(c.FirstTokenSeconds, 1e-4))];

    private static PerformanceConstants Decode(double[] x, PerformanceConstants start) => start with
    {
        GemmEfficiency = Math.Min(1, Math.Exp(x[0])),
        HbmEfficiency = Math.Min(1, Math.Exp(x[1])),
        StepSeconds = Math.Exp(x[2]),
        FirstTokenSeconds = Math.Exp(x[3]),
    };

    private static double SumSquares(double[] r) => r.Sum(v => v * v);

    // (JᵀJ + λ·diag(JᵀJ)) δ = −Jᵀr, by Gaussian elimination (4 unknowns).
    private static double[] Solve(double[,] j, double[] r, double lambda)
    {
        var a = new double[Free, Free + 1];
        for (var p = 0; p < Free; p++)
        {
            for (var q = 0; q < Free; q++)
            {
                double s = 0;
                for (var i = 0; i < r.Length; i++) s += j[i, p] * j[i, q];
                a[p, q] = s;
            }
            a[p, p] += lambda * Math.Max(a[p, p], 1e-9) + 1e-12;
            double g = 0;
            for (var i = 0; i < r.Length; i++) g += j[i, p] * r[i];
            a[p, Free] = -g;
        }
        for (var col = 0; col < Free; col++)
        {
            var pivot = Enumerable.Range(col, Free - col).MaxBy(row => Math.Abs(a[row, col]));
            for (var k = 0; k <= Free; k++) (a[col, k], a[pivot, k]) = (a[pivot, k], a[col, k]);
            if (Math.Abs(a[col, col]) < 1e-15) continue;
            for (var row = 0; row < Free; row++)
            {
                if (row == col) continue;
                var f = a[row, col] / a[col, col];
                for (var k = col; k <= Free; k++) a[row, k] -= f * a[col, k];
            }
        }
        return Enumerable.Range(0, Free).Select(p => Math.Abs(a[p, p]) < 1e-15 ? 0 : a[p, Free] / a[p, p]).ToArray();
    }
}
