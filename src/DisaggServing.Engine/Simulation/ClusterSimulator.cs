using DisaggServing.Engine.Metrics;
using DisaggServing.Engine.Workloads;

namespace DisaggServing.Engine.Simulation;

/// <summary>Discrete-event simulation of a cluster on the virtual clock (see <see cref="ClusterRun"/> for the flow).</summary>
public static class ClusterSimulator
{
    /// <summary>Simulates <paramref name="workload"/> on <paramref name="cluster"/>; <paramref name="progress"/> receives the fraction of requests finished.</summary>
    public static SimulationReport Run(ClusterSpec cluster, IReadOnlyList<WorkloadRequest> workload, SloSpec slo, IProgress<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(workload);
        if (workload.Count == 0) throw new InputException("The workload has no requests; give --requests of at least 1.");
        return new ClusterRun(cluster, workload, concurrency: null, progress).Execute(slo);
    }

    /// <summary>
    /// The highest Poisson rate at which at least <paramref name="targetAttainment"/> of requests meet <paramref name="slo"/>
    /// (DistServe's goodput), found by search; returns the report of the run at that rate with <c>goodput_rps</c> set to it.
    /// </summary>
    public static SimulationReport FindGoodput(ClusterSpec cluster, WorkloadSpec workload, int requests, int seed, SloSpec slo,
        double targetAttainment = 0.9, IProgress<double>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(slo);
        if (slo.TtftMs is null && slo.TpotMs is null)
            throw new InputException("Goodput needs an SLO: give --slo-ttft-ms and/or --slo-tpot-ms.");
        if (workload.Kind == WorkloadKind.Trace)
            throw new InputException("Goodput search varies the arrival rate, which a trace fixes; use fixed:ISL:OSL or sharegpt.");
        var options = new GoodputSearchOptions { TargetAttainment = targetAttainment, MaxEvaluations = 24, RelativeTolerance = 0.02 };
        var evaluations = 0;
        var search = GoodputSearch.FindMaxRate(rate =>
        {
            progress?.Report(Math.Min(0.95, ++evaluations / (double)options.MaxEvaluations));
            return Run(cluster, workload.Generate(requests, rate, seed), slo).SloAttainment;
        }, options);
        var report = Run(cluster, workload.Generate(requests, search.Rate, seed), slo);
        progress?.Report(1);
        return report with
        {
            GoodputRps = search.Rate,
            Extra = new Dictionary<string, object>(report.Extra ?? [])
            {
                ["goodput_search_evaluations"] = search.Evaluations,
                ["goodput_per_gpu"] = search.Rate / cluster.Gpus,
            },
        };
    }

    /// <summary>
    /// Closed loop: keeps <paramref name="concurrency"/> requests in flight, issuing the next as one finishes;
    /// <paramref name="queuedAtOnce"/> queues the requests of one instant before any engine steps (offline runs);
    /// <paramref name="stopWhen"/> ends the run early (<see cref="ClusterRun.StopWhen"/>).
    /// </summary>
    internal static (SimulationReport Report, RequestLatency[] Requests) RunClosedLoop(ClusterSpec cluster, IReadOnlyList<WorkloadRequest> workload,
        int concurrency, IProgress<double>? progress, bool queuedAtOnce = false, Func<double, double, bool>? stopWhen = null)
    {
        var run = new ClusterRun(cluster, workload, concurrency, progress) { QueuedAtOnce = queuedAtOnce, StopWhen = stopWhen };
        var report = run.Execute(SloSpec.None);
        return (report, run.Recorder.GetCompleted());
    }

    /// <summary>
    /// Open loop: each request is sent at its arrival time, or, with <paramref name="maxInFlight"/>, when a slot
    /// frees if that many are in flight.
    /// </summary>
    internal static (SimulationReport Report, RequestLatency[] Requests) RunOpenLoop(ClusterSpec cluster,
        IReadOnlyList<WorkloadRequest> workload, int? maxInFlight, IProgress<double>? progress)
    {
        var run = new ClusterRun(cluster, workload, concurrency: null, progress) { MaxInFlight = maxInFlight };
        var report = run.Execute(SloSpec.None);
        return (report, run.Recorder.GetCompleted());
    }
}
