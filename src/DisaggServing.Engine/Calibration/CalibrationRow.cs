namespace DisaggServing.Engine.Calibration;

/// <summary>A calibration point with its prediction.</summary>
/// <param name="Point">The published figure.</param>
/// <param name="Predicted">What the estimate gives.</param>
public sealed record CalibrationRow(CalibrationPoint Point, double Predicted)
{
    /// <summary>Relative error, (predicted − published) / published.</summary>
    public double Error => (Predicted - Point.Published) / Point.Published;
}
