using DisaggServing.Engine.Metrics;
using DisaggServing.Engine.Simulation;
using DisaggServing.Engine.Workloads;

namespace DisaggServing.Engine.Planning;

/// <summary>The replica search of one <see cref="Planner.Layout"/>: the fewest replicas that meet the SLO at the rate.</summary>
internal sealed class LayoutSearch(PlanRequest request, Planner.Layout layout, WorkloadRequest[] arrivals, Planner.Counter counter)
{
    private readonly Dictionary<(int, int), SimulationReport> _seen = [];

    /// <summary>The smallest meeting configuration and its report, or the largest tried when none within --max-gpus meets.</summary>
    public (ClusterSpec Cluster, SimulationReport Report)? Run() => layout.Colocated is { } tp ? Colocated(tp) : Disaggregated(layout.Prefill!.Value, layout.Decode!.Value);

    /// <summary>Goodput of <paramref name="cluster"/>: a rate search started at the requested rate, whose attainment is known.</summary>
    public double Goodput(ClusterSpec cluster, SimulationReport atRate)
    {
        var options = new GoodputSearchOptions
        {
            TargetAttainment = request.TargetAttainment,
            InitialRate = request.SizedRate,
            // Coarse on purpose: goodput ranks candidates; the SLO check at the rate decides the plan.
            RelativeTolerance = 0.1,
            MaxEvaluations = 6,
        };
        var result = GoodputSearch.FindMaxRate(rate => rate == request.SizedRate
            ? atRate.SloAttainment
            : Simulate(cluster, request.Workload.Generate(request.Requests, rate, request.Seed)).SloAttainment, options);
        return result.Rate;
    }

    private (ClusterSpec, SimulationReport)? Colocated(int tp)
    {
        var max = request.MaxGpus / tp;
        if (max < 1) return null;
        // Double until it meets, then bisect between the last miss and the first hit.
        int lo = 0, hi = 1;
        while (!Meets(Report(hi, 0)))
        {
            lo = hi;
            if (hi == max) return Best(hi, 0);
            hi = Math.Min(hi * 2, max);
        }
        while (hi - lo > 1)
        {
            var mid = (lo + hi) / 2;
            if (Meets(Report(mid, 0))) hi = mid;
            else lo = mid;
        }
        return Best(hi, 0);
    }

    private (ClusterSpec, SimulationReport)? Disaggregated(int tpPrefill, int tpDecode)
    {
        int p = 1, d = 1;
        while (true)
        {
            var report = Report(p, d);
            if (Meets(report)) break;
            // Grow the role whose SLO term is missed: TTFT is prefill's (and decode admission's), TPOT decode's.
            var ttft = Ratio(report.TtftMs.P90, request.Slo.TtftMs);
            var tpot = Ratio(report.TpotMs.P90, request.Slo.TpotMs);
            var growP = ttft > 1 || (tpot <= 1 && ttft >= tpot);
            var growD = tpot > 1 || !growP;
            var (np, nd) = (growP ? p + Step(p) : p, growD ? d + Step(d) : d);
            if (np * tpPrefill + nd * tpDecode > request.MaxGpus)
            {
                // One role alone may still fit.
                if (growP && growD && p * tpPrefill + nd * tpDecode <= request.MaxGpus) np = p;
                else if (growP && growD && np * tpPrefill + d * tpDecode <= request.MaxGpus) nd = d;
                else return Best(p, d);
            }
            (p, d) = (np, nd);
        }
        // Trim each role while the cluster still meets.
        var trimmed = true;
        while (trimmed)
        {
            trimmed = false;
            if (p > 1 && Meets(Report(p - 1, d))) { p--; trimmed = true; }
            if (d > 1 && Meets(Report(p, d - 1))) { d--; trimmed = true; }
        }
        return Best(p, d);
    }

    private static int Step(int replicas) => Math.Max(1, replicas / 4);

    private static double Ratio(double value, double? bound) => bound is { } b ? value / b : 0;

    private bool Meets(SimulationReport report) => report.SloAttainment >= request.TargetAttainment;

    private (ClusterSpec, SimulationReport) Best(int a, int b) => (Cluster(a, b), _seen[(a, b)]);

    private SimulationReport Report(int a, int b)
    {
        if (_seen.TryGetValue((a, b), out var known)) return known;
        var report = Simulate(Cluster(a, b), arrivals);
        _seen[(a, b)] = report;
        return report;
    }

    private SimulationReport Simulate(ClusterSpec cluster, WorkloadRequest[] requests)
    {
        counter.Add(requests.Length);
        return ClusterSimulator.Run(cluster, requests, request.Slo);
    }

    /// <summary>Colocated: <paramref name="a"/> replicas. P/D: <paramref name="a"/> prefill and <paramref name="b"/> decode replicas.</summary>
    private ClusterSpec Cluster(int a, int b) => layout.Colocated is { } tp
        ? new ClusterSpec { Colocated = new PoolSpec(Planner.Engine(request, layout.Instance, tp), a), InstanceType = layout.Instance, Admission = request.Engine.Admission }
        : new ClusterSpec
        {
            Prefill = new PoolSpec(Planner.Engine(request, layout.Instance, layout.Prefill!.Value), a),
            Decode = new PoolSpec(Planner.Engine(request, layout.Instance, layout.Decode!.Value), b),
            InstanceType = layout.Instance,
            DecodeOnlyThresholdTokens = request.DecodeOnlyThresholdTokens,
            Admission = request.Engine.Admission,
        };
}
