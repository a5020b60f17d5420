using DisaggServing.Engine.Estimation;
using DisaggServing.Engine.Metrics;
using DisaggServing.Engine.Simulation;
using DisaggServing.Engine.Workloads;

namespace DisaggServing.Cli;

/// <summary>The engine calls the verbs make; a seam so tests can check what the CLI builds without running simulations.</summary>
internal interface IEngineRunner
{
    EstimateResult Estimate(EstimateOptions options, IProgress<double>? progress);

    SimulationReport Simulate(ClusterSpec cluster, IReadOnlyList<WorkloadRequest> workload, SloSpec slo, IProgress<double>? progress);

    SimulationReport FindGoodput(ClusterSpec cluster, WorkloadSpec workload, int requests, int seed, SloSpec slo,
        double targetAttainment, IProgress<double>? progress);
}
