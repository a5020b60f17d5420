namespace DisaggServing.Engine.Metrics;

/// <summary>Outcome of <see cref="GoodputSearch.FindMaxRate"/>.</summary>
/// <param name="Rate">Highest rate found whose attainment reached the target (0 when none down to the minimum rate did).</param>
/// <param name="Attainment">Attainment measured at <paramref name="Rate"/> (0 when none qualified).</param>
/// <param name="FailingRate">Lowest rate found that missed the target, bounding the answer from above; null if none did.</param>
/// <param name="Converged">True when the bracket closed to the tolerance (or no rate qualifies); false when the evaluation budget or the maximum rate ran out first.</param>
/// <param name="Probes">Every evaluation, in order.</param>
public sealed record GoodputSearchResult(
    double Rate,
    double Attainment,
    double? FailingRate,
    bool Converged,
    IReadOnlyList<GoodputProbe> Probes)
{
    /// <summary>How many times the attainment function ran.</summary>
    public int Evaluations => Probes.Count;
}
