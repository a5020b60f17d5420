using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Metrics;
using DisaggServing.Engine.Performance;
using DisaggServing.Engine.Scheduling;
using DisaggServing.Engine.Simulation;
using DisaggServing.Engine.Workloads;

namespace DisaggServing.Engine.Tests.Simulation;

/// <summary>
/// Fast-forward (decode runs in closed form) and the decode cohort (decoding requests kept as sums, brought up to date
/// when they leave) change how fast a run goes, never what it finds.
/// </summary>
public class FastForwardTests
{
    private static readonly EngineSpec Tp2 = new() { Model = ModelCatalog.Llama33_70B, Gpu = GpuCatalog.H100Sxm, TensorParallel = 2, WeightDtype = DType.Fp8 };
    // ~9 requests of 900 tokens fit its KV cache: decodes run out of blocks and preempt.
    private static readonly EngineSpec SmallKv = Tp2 with { GpuMemoryUtilization = 0.47, MaxNumBatchedTokens = 2048 };
    private static readonly EngineSpec Bf16 = Tp2 with { WeightDtype = DType.Bf16 };
    private static readonly ClusterSpec Disaggregated = new() { Prefill = new PoolSpec(Tp2, 2), Decode = new PoolSpec(Tp2, 3) };
    private static readonly ClusterSpec Colocated = new() { Colocated = new PoolSpec(Tp2, 3) };
    private static readonly SloSpec Slo = new(400, 30);

    public static TheoryData<string, bool, bool> Cases
    {
        get
        {
            var cases = new TheoryData<string, bool, bool>();
            foreach (var scenario in Scenarios.Keys)
            {
                cases.Add(scenario, true, false);
                cases.Add(scenario, false, true);
                cases.Add(scenario, true, true);
            }
            return cases;
        }
    }

    private static readonly Dictionary<string, (ClusterSpec Cluster, WorkloadRequest[] Workload, int? Concurrency)> Scenarios = new()
    {
        ["colocated sharegpt"] = (Colocated, WorkloadSpec.ShareGpt.Generate(1500, 30, seed: 3), null),
        ["p/d sharegpt"] = (Disaggregated, WorkloadSpec.ShareGpt.Generate(1500, 30, seed: 4), null),
        ["p/d long prompts"] = (Disaggregated, WorkloadSpec.Fixed(4000, 300).Generate(300, 4, seed: 5), null),
        ["colocated closed loop, equal requests"] = (Colocated, WorkloadSpec.Fixed(512, 200).Generate(600, null, seed: 6), 48),
        ["p/d closed loop"] = (Disaggregated, WorkloadSpec.ShareGpt.Generate(800, null, seed: 7), 64),
        ["colocated kv pressure with preemption"] = (new ClusterSpec { Colocated = new PoolSpec(SmallKv, 1) }, WorkloadSpec.Fixed(500, 400).Generate(120, 20, seed: 8), null),
        // Every request admitted, then their decodes outgrow the cache with nobody waiting: runs stop where blocks run short.
        ["colocated decodes outgrowing the cache, preemption"] = (new ClusterSpec { Colocated = new PoolSpec(SmallKv, 1) }, WorkloadSpec.Fixed(500, 400).Generate(90, null, seed: 2), 30),
        ["p/d kv pressure, expiring leases"] = (new ClusterSpec { Prefill = new PoolSpec(Tp2, 1), Decode = new PoolSpec(SmallKv, 1) }, WorkloadSpec.Fixed(500, 400).Generate(150, 50, seed: 3), null),
        // Overloaded (issue 11's stall case, shortened): decode queues grow, prefill leases expire while their requests
        // wait, and a transfer that finds its lease gone requeues the request after the step was scheduled.
        ["p/d overloaded, leases expiring under queues"] = (new ClusterSpec { Prefill = new PoolSpec(Bf16, 4), Decode = new PoolSpec(Bf16, 4) }, WorkloadSpec.ShareGpt.Generate(10_000, 20, seed: 1), null),
        // Shared prefixes: the router reads the KV index the engines' events keep, and engines hit their prefix caches.
        ["colocated shared prefixes, prefix-aware routing"] = (Colocated, WorkloadSpec.SharedPrefixes(8, 2048, 256, 200).Generate(600, 6, seed: 10), null),
        ["p/d shared prefixes, cached-prefix decisions"] = (Disaggregated, WorkloadSpec.SharedPrefixes(8, 2048, 128, 200).Generate(600, 6, seed: 11), null),
        ["colocated reserve-full admission"] = (new ClusterSpec { Colocated = new PoolSpec(SmallKv, 1), Admission = AdmissionPolicy.ReserveFull }, WorkloadSpec.ShareGpt.Generate(300, 10, seed: 9), null),
        // Hand-offs and KV landings end decode runs with their step in flight while the engine holds reservations.
        ["p/d reserve-full admission"] = (Disaggregated with { Admission = AdmissionPolicy.ReserveFull }, WorkloadSpec.ShareGpt.Generate(800, 25, seed: 12), null),
        // SGLang's unmixed steps: prefill batches first, decode runs only while nobody can be admitted.
        ["colocated unmixed prefill"] = (new ClusterSpec { Colocated = new PoolSpec(Tp2 with { MixedPrefillDecode = false }, 2) }, WorkloadSpec.ShareGpt.Generate(1500, 30, seed: 13), null),
        ["colocated unmixed prefill, kv pressure with preemption"] = (new ClusterSpec { Colocated = new PoolSpec(SmallKv with { MixedPrefillDecode = false }, 1) }, WorkloadSpec.Fixed(500, 400).Generate(120, 20, seed: 8), null),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fast_forward_and_the_decode_cohort_give_every_request_the_latencies_of_stepping_one_step_at_a_time(string scenario, bool fastForward, bool cohort)
    {
        var (cluster, workload, concurrency) = Scenarios[scenario];
        var (stepped, steppedRequests) = Run(cluster, workload, concurrency, fastForward: false, cohort: false);
        var (forwarded, forwardedRequests) = Run(cluster, workload, concurrency, fastForward, cohort);

        Assert.Equal(workload.Length, forwardedRequests.Length);
        Assert.Equal(steppedRequests.Length, forwardedRequests.Length);
        for (var i = 0; i < steppedRequests.Length; i++)
        {
            var (a, b) = (steppedRequests[i], forwardedRequests[i]);
            Assert.Equal(a.Request, b.Request);
            Assert.Equal(a.OutputTokens, b.OutputTokens);
            Assert.Equal(a.ArrivalSeconds, b.ArrivalSeconds);
            Assert.Equal(a.TtftSeconds, b.TtftSeconds);
            Assert.Equal(a.E2eSeconds, b.E2eSeconds);
            Assert.Equal(a.TpotSeconds, b.TpotSeconds);
        }
        Assert.Equal(stepped.Preemptions, forwarded.Preemptions);
        if (scenario.Contains("preemption", StringComparison.Ordinal)) Assert.True(stepped.Preemptions > 0, "the scenario should preempt");
        Assert.Equal(stepped.KvTransfers, forwarded.KvTransfers);
        Assert.Equal(stepped.MeanKvTransferMs, forwarded.MeanKvTransferMs);
        Assert.Equal(stepped.Extra?["failed_kv_transfers"], forwarded.Extra?["failed_kv_transfers"]);
        Assert.Equal(stepped.SimulatedSeconds, forwarded.SimulatedSeconds);
        Assert.Equal(stepped.PrefixCacheQueries, forwarded.PrefixCacheQueries);
        Assert.Equal(stepped.PrefixCacheHits, forwarded.PrefixCacheHits);
        if (scenario.Contains("shared prefixes", StringComparison.Ordinal)) Assert.True(stepped.PrefixCacheHits > 0, "the scenario should hit the prefix cache");
        Assert.Equal(stepped.Decisions, forwarded.Decisions);
        Assert.Equal(stepped.SloAttainment, forwarded.SloAttainment);
        // Inter-token gaps: the same gaps (so the same count, max and percentiles); the mean sums them in another order.
        Assert.Equal(stepped.ItlMs with { Mean = 0 }, forwarded.ItlMs with { Mean = 0 });
        Assert.Equal(stepped.ItlMs.Mean, forwarded.ItlMs.Mean, 1e-9);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_decode_heavy_run_takes_most_of_its_steps_in_closed_form(bool cohort)
    {
        // Long outputs at a low rate: runs between arrivals are long, so the engines queue far fewer step events.
        var workload = WorkloadSpec.Fixed(256, 1000).Generate(200, 2, seed: 1);
        var stepped = new ClusterRun(Colocated, workload, null, null, fastForward: false, cohort: false);
        var forwarded = new ClusterRun(Colocated, workload, null, null, fastForward: true, cohort);
        stepped.Execute(SloSpec.None);
        forwarded.Execute(SloSpec.None);
        Assert.True(forwarded.EventsProcessed * 5 < stepped.EventsProcessed, $"{forwarded.EventsProcessed} events with fast-forward, {stepped.EventsProcessed} without");
    }

    private static (SimulationReport, RequestLatency[]) Run(ClusterSpec cluster, WorkloadRequest[] workload, int? concurrency, bool fastForward, bool cohort)
    {
        var run = new ClusterRun(cluster, workload, concurrency, null, fastForward, cohort);
        var report = run.Execute(Slo);
        return (report, run.Recorder.GetCompleted());
    }
}
