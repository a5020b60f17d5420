namespace DisaggServing.Engine.Metrics;

/// <summary>One evaluation made by <see cref="GoodputSearch"/>.</summary>
/// <param name="Rate">Request rate tried, per second.</param>
/// <param name="Attainment">SLO attainment measured at that rate.</param>
public readonly record struct GoodputProbe(double Rate, double Attainment);
