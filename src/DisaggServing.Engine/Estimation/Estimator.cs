namespace DisaggServing.Engine.Estimation;

/// <summary>Runs one engine on the virtual clock under a fixed-length load and reports medians and throughput.</summary>
public static class Estimator
{
    /// <summary>Runs the estimate; <paramref name="progress"/> receives the fraction of requests finished.</summary>
    public static EstimateResult Run(EstimateOptions options, IProgress<double>? progress = null) =>
        throw new NotImplementedException("in progress");
}
