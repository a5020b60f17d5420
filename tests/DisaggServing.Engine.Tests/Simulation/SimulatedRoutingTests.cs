using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Metrics;
using DisaggServing.Engine.Performance;
using DisaggServing.Engine.Simulation;
using DisaggServing.Engine.Workloads;
using DisaggServing.Scheduling.Configuration;

namespace DisaggServing.Engine.Tests.Simulation;

/// <summary>The simulator routes as the router does: its profiles, its P/D decider, a KV index kept by engine events.</summary>
public class SimulatedRoutingTests
{
    private static readonly EngineSpec Tp2 = new() { Model = ModelCatalog.Llama33_70B, Gpu = GpuCatalog.H100Sxm, TensorParallel = 2 };

    [Fact]
    public void On_shared_prefixes_the_prefix_aware_profile_hits_the_cache_far_more_and_answers_sooner_than_load_only()
    {
        // 16 prefixes of 4096 tokens over 4 engines: each engine can keep its share of them, but not all 16.
        var workload = WorkloadSpec.Parse("prefix:16:4096:256:128").Generate(400, 0.5, seed: 1);
        var cluster = new ClusterSpec { Colocated = new PoolSpec(Tp2, 4) };
        var aware = ClusterSimulator.Run(cluster with { Routing = RoutingProfiles.PrefixAware }, workload, SloSpec.None);
        var loadOnly = ClusterSimulator.Run(cluster with { Routing = RoutingProfiles.LeastLoad }, workload, SloSpec.None);

        Assert.Equal((400, 400), (aware.Completed, loadOnly.Completed));
        Assert.True(aware.PrefixCacheHitRate > loadOnly.PrefixCacheHitRate + 0.3,
            $"hit rate: prefix-aware {aware.PrefixCacheHitRate:P1}, load only {loadOnly.PrefixCacheHitRate:P1}");
        Assert.True(aware.TtftMs.Mean < 0.7 * loadOnly.TtftMs.Mean,
            $"mean TTFT: prefix-aware {aware.TtftMs.Mean:F0} ms, load only {loadOnly.TtftMs.Mean:F0} ms");
    }

    [Fact]
    public void A_prefix_the_decode_engine_already_holds_sends_the_request_decode_only()
    {
        // After the first P/D request of a prefix its decode engine holds the prefix: 4352 − 4096 cached < 1024 uncached.
        var cluster = new ClusterSpec { Prefill = new PoolSpec(Tp2, 2), Decode = new PoolSpec(Tp2, 2), DecodeOnlyThresholdTokens = 1024 };
        var report = ClusterSimulator.Run(cluster, WorkloadSpec.Parse("prefix:2:4096:256:64").Generate(100, 0.5, seed: 1), SloSpec.None);

        Assert.Equal(100, report.Completed);
        var decisions = report.Decisions!;
        Assert.Equal(100, decisions.Values.Sum());
        Assert.InRange(decisions["uncached"], 1, 10);
        Assert.Equal(100 - decisions["uncached"], decisions["cached-prefix"]);
        Assert.Equal(decisions["uncached"], report.KvTransfers);
        Assert.Equal(decisions["cached-prefix"], report.Extra!["decode_only_requests"]);
    }

    [Fact]
    public void Decisions_are_counted_by_reason_and_colocated_requests_have_no_prefill()
    {
        var disaggregated = new ClusterSpec { Prefill = new PoolSpec(Tp2, 1), Decode = new PoolSpec(Tp2, 1), DecodeOnlyThresholdTokens = 256 };
        var mixed = new[] { new WorkloadRequest(0, 100, 8), new WorkloadRequest(0.1, 1000, 8), new WorkloadRequest(0.2, 200, 8) };
        var report = ClusterSimulator.Run(disaggregated, mixed, SloSpec.None);
        Assert.Equal(new Dictionary<string, int> { ["short-prompt"] = 2, ["uncached"] = 1 }, report.Decisions);

        var colocated = ClusterSimulator.Run(new ClusterSpec { Colocated = new PoolSpec(Tp2, 2) }, mixed, SloSpec.None);
        Assert.Equal(new Dictionary<string, int> { ["no-prefill"] = 3 }, colocated.Decisions);
    }

    [Fact]
    public void Without_shared_prefixes_nothing_is_looked_up_in_the_prefix_caches()
    {
        var report = ClusterSimulator.Run(new ClusterSpec { Colocated = new PoolSpec(Tp2, 2) }, WorkloadSpec.ShareGpt.Generate(100, 5, seed: 1), SloSpec.None);
        Assert.Equal(0, report.PrefixCacheQueries);
        Assert.Null(report.PrefixCacheHitRate);
    }
}
