using DisaggServing.Bench;
using DisaggServing.Engine.Metrics;
using DisaggServing.Engine.Performance;
using DisaggServing.Engine.Simulation;
using DisaggServing.Engine.Workloads;
using DisaggServing.Scheduling.Configuration;
using DisaggServing.Topology;

namespace DisaggServing.Testing.Simulation;

/// <summary>
/// The one seam between the kit and the offline simulator: a topology and a load become a cluster simulation on the
/// virtual clock, and its report becomes the live runner's <see cref="BenchReport"/>. When the simulator changes
/// (router scheduling, topologies of its own), only this file follows it.
/// </summary>
internal static class SimulatorAdapter
{
    /// <summary>Error kind of requests the simulation never finished.</summary>
    public const string NotCompleted = "not_completed";

    public static BenchReport Run(TopologySpec topology, LoadSpec load)
    {
        ArgumentNullException.ThrowIfNull(topology);
        ArgumentNullException.ThrowIfNull(load);
        load.Validate();
        var cluster = Cluster(topology);
        var requests = Requests(load);
        var report = ClusterSimulator.Run(cluster, requests, load.Slo);
        return ToBenchReport(topology, load, requests, report);
    }

    /// <summary>
    /// Prefill and decode pools (or one pool doing both) as the simulator's cluster, each replica the engine its pool
    /// resolves to, modelled as the topology's serving engine (as its local Workers are).
    /// </summary>
    private static ClusterSpec Cluster(TopologySpec topology)
    {
        var serving = topology.Engine.ServingProfile();
        PoolSpec? Pool(PoolRole role)
        {
            var pools = topology.Pools.Where(p => p.Role == role).ToList();
            if (pools.Count == 0) return null;
            var engines = pools.Select(p => Engine(topology, ResolvedPool.Resolve(p), serving)).Distinct().ToList();
            if (engines.Count > 1)
                throw new NotSupportedException(
                    $"Deterministic mode simulates one engine shape per role; the {role.ToString().ToLowerInvariant()} pools {string.Join(", ", pools.Select(p => p.Name))} differ (model, GPU, TP, PP, dtype or limits). Give them one shape, or test this topology live.");
            return new PoolSpec(engines[0], pools.Sum(p => p.Replicas));
        }

        if (topology.Pools.Count == 0)
            throw new ArgumentException($"Topology '{topology.Name}' has no pools to simulate.", nameof(topology));
        var prefill = Pool(PoolRole.Prefill);
        var decode = Pool(PoolRole.Decode);
        var both = Pool(PoolRole.Both);
        if (both is not null && (prefill is not null || decode is not null))
            throw new NotSupportedException($"Deterministic mode simulates a P/D topology or a colocated one; '{topology.Name}' mixes both-role pools with prefill/decode pools.");
        if (both is null && (prefill is null || decode is null))
            throw new NotSupportedException($"Topology '{topology.Name}' has {(prefill is null ? "no prefill" : "no decode")} pool; a P/D topology needs both.");
        var instance = ResolvedPool.Resolve(topology.Pools[0]).Instance;
        // The router's scheduling as the topology configures it: its scorer weights and its decode-only threshold.
        return new ClusterSpec
        {
            Prefill = prefill, Decode = decode, Colocated = both, InstanceType = instance, Admission = serving.Admission,
            Routing = topology.Router.Scorers?.ToProfiles() ?? RoutingProfiles.PrefixAware,
            DecodeOnlyThresholdTokens = topology.Router.DecodeOnlyThresholdTokens,
        }.Validate();
    }

    /// <summary>A pool's engine modelled as <paramref name="serving"/>, with the fitted constants of Local:Profile when set (its engine must be that one).</summary>
    private static EngineSpec Engine(TopologySpec topology, ResolvedPool pool, EngineProfile serving)
    {
        var engine = pool.ModelledAs(serving, topology.Engine.ModelledRelease(serving));
        var profile = topology.Local.Profile;
        return (string.IsNullOrWhiteSpace(profile) ? engine : ProfileFile.Apply(engine, profile.Trim())).Validate();
    }

    /// <summary>The load's requests with their arrival times: Poisson at the rate, or the trace's own, cut at the duration.</summary>
    private static WorkloadRequest[] Requests(LoadSpec load)
    {
        if (load.Concurrency is not null)
            throw new NotSupportedException("Deterministic mode offers open-loop load: give LoadSpec.Rate (or a trace), not Concurrency.");
        WorkloadRequest[] requests;
        if (load.Workload.Kind == WorkloadKind.Trace)
        {
            requests = load.Workload.Generate(load.Requests ?? int.MaxValue, null, load.Seed);
            if (requests.Length > 0)
            {
                var first = requests[0].ArrivalSeconds;
                requests = [.. requests.Select(r => r with { ArrivalSeconds = r.ArrivalSeconds - first })];
            }
        }
        else
        {
            var rate = load.Rate!.Value;
            var count = load.Requests ?? (int)Math.Ceiling(rate * load.DurationSeconds!.Value * 2) + 16;
            requests = load.Workload.Generate(count, rate, load.Seed);
        }

        if (load.DurationSeconds is { } duration) requests = [.. requests.Where(r => r.ArrivalSeconds < duration)];
        if (requests.Length == 0)
            throw new ArgumentException($"LoadSpec offers no requests (workload {load.Workload}, duration {load.DurationSeconds} s).");
        return requests;
    }

    /// <summary>
    /// The simulation's report in the live runner's shape. Times are on the virtual clock and measured as if streamed
    /// (TTFT is the first token's, TPOT and ITL per token). The simulator reports no per-request failures, so requests
    /// it did not finish count as <see cref="NotCompleted"/>, and token counts are those of the requests offered.
    /// </summary>
    private static BenchReport ToBenchReport(TopologySpec topology, LoadSpec load, WorkloadRequest[] requests, SimulationReport report)
    {
        var seconds = report.SimulatedSeconds;
        var failed = report.Requests - report.Completed;
        var input = requests.Sum(r => (long)r.InputTokens);
        var output = (long)Math.Round(report.OutputTokensPerSecond * seconds);
        var errors = new SortedDictionary<string, int>(StringComparer.Ordinal);
        if (failed > 0) errors[NotCompleted] = failed;
        return new BenchReport
        {
            Url = $"simulated://{topology.Name}",
            Endpoint = "simulated (virtual clock)",
            Model = topology.ServedModel ?? "",
            Workload = load.Workload.ToString(),
            Load = load.Workload.Kind == WorkloadKind.Trace ? "trace" : "poisson",
            Rate = load.Rate,
            Stream = true,
            Seed = load.Seed,
            DurationSeconds = seconds,
            Requests = report.Requests,
            Completed = report.Completed,
            Failed = failed,
            Errors = errors,
            InputTokens = input,
            OutputTokens = output,
            RequestThroughput = report.RequestsPerSecond,
            OutputTokenThroughput = report.OutputTokensPerSecond,
            TotalTokenThroughput = seconds > 0 ? (input + output) / seconds : 0,
            TtftMs = report.TtftMs,
            TpotMs = report.TpotMs,
            ItlMs = report.ItlMs,
            E2eMs = report.E2eMs,
            Slo = report.Slo ?? SloSpec.None,
            SloAttainment = report.SloAttainment,
            GoodputRps = report.GoodputRps,
        };
    }
}
