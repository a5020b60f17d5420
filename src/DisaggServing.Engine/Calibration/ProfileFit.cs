using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Calibration;

/// <summary>What <see cref="ProfileFitter"/> found: the constants before and after, and each point's prediction with both.</summary>
/// <param name="Before">The constants the fit started from.</param>
/// <param name="After">The fitted constants.</param>
/// <param name="Rows">Each point with its prediction before and after.</param>
public sealed record ProfileFit(PerformanceConstants Before, PerformanceConstants After, IReadOnlyList<ProfileFitRow> Rows);

/// <summary>One measured point with its prediction before and after the fit.</summary>
/// <param name="Point">The measurement.</param>
/// <param name="Before">Predicted with the starting constants.</param>
/// <param name="After">Predicted with the fitted constants.</param>
public sealed record ProfileFitRow(MeasuredPoint Point, double Before, double After)
{
    /// <summary>Relative error before the fit.</summary>
    public double ErrorBefore => (Before - Point.Measured) / Point.Measured;

    /// <summary>Relative error after the fit.</summary>
    public double ErrorAfter => (After - Point.Measured) / Point.Measured;
}
