using DisaggServing.Engine.Estimation;
using DisaggServing.Engine.Metrics;
using DisaggServing.Engine.Simulation;
using DisaggServing.Engine.Workloads;

namespace DisaggServing.Cli.Tests;

/// <summary>Records what the CLI asked the engine for and answers with constructed results.</summary>
internal sealed class FakeEngineRunner : IEngineRunner
{
    public EstimateResult EstimateResult { get; init; } = Samples.Estimate();

    public SimulationReport Report { get; init; } = Samples.Report();

    /// <summary>Thrown by every call when set, to test error mapping.</summary>
    public Exception? Throw { get; init; }

    public EstimateOptions? EstimateOptions { get; private set; }

    public ClusterSpec? Cluster { get; private set; }

    public IReadOnlyList<WorkloadRequest>? Workload { get; private set; }

    public SloSpec? Slo { get; private set; }

    public (WorkloadSpec Workload, int Requests, int Seed, double Target)? GoodputSearch { get; private set; }

    public int Calls { get; private set; }

    public EstimateResult Estimate(EstimateOptions options, IProgress<double>? progress)
    {
        Called();
        EstimateOptions = options;
        return EstimateResult;
    }

    public SimulationReport Simulate(ClusterSpec cluster, IReadOnlyList<WorkloadRequest> workload, SloSpec slo, IProgress<double>? progress)
    {
        Called();
        (Cluster, Workload, Slo) = (cluster, workload, slo);
        return Report;
    }

    public SimulationReport FindGoodput(ClusterSpec cluster, WorkloadSpec workload, int requests, int seed, SloSpec slo,
        double targetAttainment, IProgress<double>? progress)
    {
        Called();
        (Cluster, Slo, GoodputSearch) = (cluster, slo, (workload, requests, seed, targetAttainment));
        return Report;
    }

    private void Called()
    {
        Calls++;
        if (Throw is not null) throw Throw;
    }
}
