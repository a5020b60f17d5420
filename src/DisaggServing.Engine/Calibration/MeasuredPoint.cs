using DisaggServing.Engine.Estimation;

namespace DisaggServing.Engine.Calibration;

/// <summary>One measured figure of a known engine under a fixed-length load: what a profile fit tries to reproduce.</summary>
/// <param name="Label">Where it came from (file, load), for the before/after table.</param>
/// <param name="Metric">The quantity measured.</param>
/// <param name="Measured">Its value.</param>
/// <param name="Options">The estimate of the measured setup.</param>
public sealed record MeasuredPoint(string Label, CalibrationMetric Metric, double Measured, EstimateOptions Options);
