using DisaggServing.Engine.Estimation;
using DisaggServing.Engine.Metrics;
using DisaggServing.Engine.Simulation;
using DisaggServing.Engine.Workloads;

namespace DisaggServing.Cli;

/// <summary>The real engine: <see cref="Estimator"/> and <see cref="ClusterSimulator"/>.</summary>
internal sealed class EngineRunner : IEngineRunner
{
    public static EngineRunner Instance { get; } = new();

    public EstimateResult Estimate(EstimateOptions options, IProgress<double>? progress) => Estimator.Run(options, progress);

    public SimulationReport Simulate(ClusterSpec cluster, IReadOnlyList<WorkloadRequest> workload, SloSpec slo, IProgress<double>? progress) =>
        ClusterSimulator.Run(cluster, workload, slo, progress);

    public SimulationReport FindGoodput(ClusterSpec cluster, WorkloadSpec workload, int requests, int seed, SloSpec slo,
        double targetAttainment, IProgress<double>? progress) =>
        ClusterSimulator.FindGoodput(cluster, workload, requests, seed, slo, targetAttainment, progress);
}
