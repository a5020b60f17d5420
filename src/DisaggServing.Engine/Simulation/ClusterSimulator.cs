using DisaggServing.Engine.Metrics;
using DisaggServing.Engine.Workloads;

namespace DisaggServing.Engine.Simulation;

/// <summary>Discrete-event simulation of a cluster on the virtual clock.</summary>
public static class ClusterSimulator
{
    /// <summary>Simulates <paramref name="workload"/> on <paramref name="cluster"/>; <paramref name="progress"/> receives the fraction of requests finished.</summary>
    public static SimulationReport Run(ClusterSpec cluster, IReadOnlyList<WorkloadRequest> workload, SloSpec slo, IProgress<double>? progress = null) =>
        throw new NotImplementedException("in progress");

    /// <summary>
    /// The highest Poisson rate at which at least <paramref name="targetAttainment"/> of requests meet <paramref name="slo"/>
    /// (DistServe's goodput), found by search; returns the report of the run at that rate with <c>goodput_rps</c> set to it.
    /// </summary>
    public static SimulationReport FindGoodput(ClusterSpec cluster, WorkloadSpec workload, int requests, int seed, SloSpec slo,
        double targetAttainment = 0.9, IProgress<double>? progress = null) =>
        throw new NotImplementedException("in progress");
}
