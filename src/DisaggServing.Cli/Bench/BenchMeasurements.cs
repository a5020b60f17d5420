using System.Globalization;
using System.Text.Json;
using DisaggServing.Bench;
using DisaggServing.Engine;
using DisaggServing.Engine.Calibration;
using DisaggServing.Engine.Estimation;
using DisaggServing.Engine.Performance;
using DisaggServing.Engine.Workloads;

namespace DisaggServing.Cli.Bench;

/// <summary>
/// Turns <c>disagg bench</c> JSON reports of a known engine into the measured points a profile fit reproduces:
/// for each closed-loop run of fixed or uniformly drawn lengths, its mean TTFT, mean TPOT (the estimator's ITL) and output
/// throughput.
/// </summary>
internal static class BenchMeasurements
{
    /// <summary>The points of the report at <paramref name="path"/>, measured on <paramref name="engine"/> (model from the report).</summary>
    public static IEnumerable<MeasuredPoint> Read(string path, Func<string, EngineSpec> engine)
    {
        BenchReport? report;
        try { report = JsonSerializer.Deserialize<BenchReport>(File.ReadAllText(path)); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or NotSupportedException)
        {
            throw new InputException($"--fit {path}: not a readable 'disagg bench --json' report ({e.Message}).");
        }
        if (report is null) throw new InputException($"--fit {path}: the file is empty; give a 'disagg bench --json' report.");
        var workload = WorkloadSpec.Parse(report.Workload);
        if (workload.Kind is not (WorkloadKind.Fixed or WorkloadKind.Uniform))
            throw new InputException($"--fit {path}: workload '{report.Workload}' is neither fixed nor uniform lengths; fit from runs of --workload fixed:ISL:OSL or uniform:ISL_MIN-ISL_MAX:OSL_MIN-OSL_MAX.");
        if (report.Concurrency is not { } concurrency)
            throw new InputException($"--fit {path}: the run used a request rate, not --concurrency; fit from closed-loop runs.");
        if (report.Completed < 1)
            throw new InputException($"--fit {path}: no request completed, so there is nothing to fit.");
        var options = new EstimateOptions
        {
            Engine = engine(report.Model).Validate(), InputTokens = workload.InputTokens, OutputTokens = workload.OutputTokens,
            Concurrency = concurrency,
        };
        // Uniform runs are estimated with the lengths drawn from the same ranges and seed.
        if (workload.Kind == WorkloadKind.Uniform) options = options with { Workload = workload, Seed = report.Seed };
        options = options with { Admission = options.Engine.Engine.Admission };
        var label = string.Create(CultureInfo.InvariantCulture, $"{Path.GetFileName(path)} c={concurrency}");
        if (report.TtftMs.Mean > 0) yield return new MeasuredPoint(label, CalibrationMetric.TtftMeanMs, report.TtftMs.Mean, options);
        if (report.TpotMs.Mean > 0) yield return new MeasuredPoint(label, CalibrationMetric.ItlMeanMs, report.TpotMs.Mean, options);
        if (report.OutputTokenThroughput > 0) yield return new MeasuredPoint(label, CalibrationMetric.OutputTokensPerSecond, report.OutputTokenThroughput, options);
    }
}
