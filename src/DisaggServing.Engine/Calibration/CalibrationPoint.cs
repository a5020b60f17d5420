using DisaggServing.Engine.Estimation;

namespace DisaggServing.Engine.Calibration;

/// <summary>One published figure and the estimate that should reproduce it.</summary>
/// <param name="Source">Where the figure was published.</param>
/// <param name="Setup">Model, GPU, parallelism and load, for the table.</param>
/// <param name="Metric">Which field of <see cref="EstimateResult"/> is compared.</param>
/// <param name="Published">The published value.</param>
/// <param name="Options">The estimate that reproduces the benchmark's setup.</param>
/// <param name="Caveat">Why the figure is shown but not held to the tolerance, or null when it is.</param>
public sealed record CalibrationPoint(string Source, string Setup, CalibrationMetric Metric, double Published, EstimateOptions Options, string? Caveat = null)
{
    /// <summary>The estimate; an offline one measures every request (<see cref="MeasureWindow.All"/>), as the CLI builds it.</summary>
    public EstimateOptions Options { get; init; } = Options.Concurrency is null && Options.RequestRate is null ? Options with { Measure = MeasureWindow.All } : Options;

    /// <summary>True when the figure was kept out of the fit of the constants, to measure how the model does on figures it has not seen.</summary>
    public bool HeldOut { get; init; }

    /// <summary>
    /// Identical engines the published system ran side by side on one query stream (MLPerf's 8 GPUs as 8 replicas of
    /// TP1, say): the estimate is one replica, and its throughput (output tok/s, requests/s) times this is compared with the
    /// system's figure; latencies are one replica's.
    /// </summary>
    public int Replicas { get; init; } = 1;

    /// <summary>True when the figure is held to <see cref="CalibrationRunner.Tolerance"/>.</summary>
    public bool Checked => Caveat is null;

    /// <summary>The <c>disagg estimate</c> command that reproduces the figure.</summary>
    public string Command => EstimateCommandLine.Format(Options);

    /// <summary>The predicted value of <see cref="Metric"/> in <paramref name="result"/>.</summary>
    public double Predicted(EstimateResult result) => result.Of(Metric) * (Metric.IsThroughput() ? Replicas : 1);
}
