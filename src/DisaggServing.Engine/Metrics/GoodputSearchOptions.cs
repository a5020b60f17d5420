namespace DisaggServing.Engine.Metrics;

/// <summary>Settings of <see cref="GoodputSearch"/>.</summary>
public sealed record GoodputSearchOptions
{
    /// <summary>Attainment a rate must reach to count (DistServe's goodput uses 0.9).</summary>
    public double TargetAttainment { get; init; } = 0.9;

    /// <summary>First rate tried, in requests per second.</summary>
    public double InitialRate { get; init; } = 1.0;

    /// <summary>Bisection stops once the bracket is narrower than this fraction of its lower end.</summary>
    public double RelativeTolerance { get; init; } = 0.01;

    /// <summary>Most evaluations of the (expensive) attainment function.</summary>
    public int MaxEvaluations { get; init; } = 40;

    /// <summary>Below this rate the search gives up and reports that no rate meets the target.</summary>
    public double MinRate { get; init; } = 1e-3;

    /// <summary>Above this rate the search stops doubling and reports the system as unbounded.</summary>
    public double MaxRate { get; init; } = 1e6;
}
