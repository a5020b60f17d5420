using System.Text.Json;
using DisaggServing.Engine;
using DisaggServing.Engine.Metrics;
using DisaggServing.Engine.Workloads;
using DisaggServing.Topology;

namespace DisaggServing.Testing.Tests;

public sealed class DeterministicTests
{
    private static readonly LoadSpec Load = new()
    {
        Workload = WorkloadSpec.Fixed(1024, 64),
        Rate = 10,
        Requests = 2000,
        Slo = new SloSpec(ttftMs: 400, tpotMs: 30),
    };

    [Fact]
    public void The_same_run_twice_gives_identical_reports()
    {
        var first = DisaggSimulation.Run(ReferenceTopologies.Get("local-70b"), Load);
        var second = DisaggSimulation.Run(ReferenceTopologies.Get("local-70b"), Load);

        Assert.Equal(JsonSerializer.Serialize(first), JsonSerializer.Serialize(second));
        Assert.Equal((2000, 2000, 0), (first.Requests, first.Completed, first.Failed));
    }

    [Fact]
    public void More_load_on_the_same_topology_raises_latency_and_lowers_attainment()
    {
        var light = DisaggSimulation.Run(ReferenceTopologies.Get("local-70b"), Load);
        var heavy = DisaggSimulation.Run(ReferenceTopologies.Get("local-70b"), Load with { Rate = 60 });

        Assert.True(heavy.TtftMs.P99 > light.TtftMs.P99, $"p99 TTFT {heavy.TtftMs.P99} ms at 60 req/s vs {light.TtftMs.P99} ms at 10 req/s");
        Assert.True(heavy.SloAttainment < light.SloAttainment, $"attainment {heavy.SloAttainment} at 60 req/s vs {light.SloAttainment} at 10 req/s");
        Assert.Throws<DisaggAssertionException>(() => heavy.AssertSloAttainment(0.99));
    }

    [Fact]
    public void A_bigger_decode_pool_serves_the_same_load_at_least_as_well()
    {
        var heavy = Load with { Rate = 30 };
        var small = DisaggSimulation.Run(ReferenceTopologies.Get("local-70b"), heavy);
        var bigger = ReferenceTopologies.Get("local-70b");
        bigger.Pools[0].Replicas = 4;
        bigger.Pools[1].Replicas = 4;

        var report = DisaggSimulation.Run(bigger, heavy);

        Assert.True(report.SloAttainment >= small.SloAttainment, $"{report.SloAttainment} with 4+4 replicas vs {small.SloAttainment} with 2+2");
        Assert.True(report.TtftMs.P90 <= small.TtftMs.P90);
    }

    [Fact]
    public void The_report_has_the_live_runners_shape()
    {
        var report = DisaggSimulation.Run(ReferenceTopologies.Get("local-70b"), Load with { Requests = 100 });

        Assert.Equal(("poisson", "fixed:1024:64", "meta-llama/Llama-3.3-70B-Instruct", true), (report.Load, report.Workload, report.Model, report.Stream));
        Assert.Equal(100 * 1024, report.InputTokens);
        Assert.Equal(100 * 64, report.OutputTokens);
        Assert.Equal(100, report.TtftMs.Count);
        Assert.True(report.TpotMs.P50 > 0 && report.ItlMs.Count > 0);
    }

    [Fact]
    public void The_topologys_serving_engine_is_the_one_simulated()
    {
        var light = Load with { Requests = 200 };
        var vllm = DisaggSimulation.Run(ReferenceTopologies.Get("local-70b"), light);
        var named = ReferenceTopologies.Get("local-70b");
        named.Engine.ServingEngine = "vllm";
        var trtllm = ReferenceTopologies.Get("local-70b");
        trtllm.Engine.ServingEngine = "trtllm";

        // vLLM is the default; TensorRT-LLM's profile (its host costs a step and a sequence, its kernels' floors, its
        // server's first token) runs the same load to other latencies.
        Assert.Equal(JsonSerializer.Serialize(vllm), JsonSerializer.Serialize(DisaggSimulation.Run(named, light)));
        var asTrtllm = DisaggSimulation.Run(trtllm, light);
        Assert.NotEqual((vllm.TtftMs.P50, vllm.ItlMs.P50), (asTrtllm.TtftMs.P50, asTrtllm.ItlMs.P50));
    }

    [Fact]
    public void An_unknown_serving_engine_is_refused_naming_the_setting()
    {
        var topology = ReferenceTopologies.Get("local-70b");
        topology.Engine.ServingEngine = "tgi";

        var error = Assert.Throws<InputException>(() => DisaggSimulation.Run(topology, Load));

        Assert.Contains("Topology:Engine:ServingEngine 'tgi' is not known; use vllm, sglang or trtllm", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Closed_loop_is_refused_with_the_fix()
    {
        var error = Assert.Throws<NotSupportedException>(() =>
            DisaggSimulation.Run(ReferenceTopologies.Get("local-70b"), Load with { Rate = null, Concurrency = 4 }));

        Assert.Contains("give LoadSpec.Rate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_topology_without_a_decode_pool_is_refused_naming_it()
    {
        var topology = ReferenceTopologies.Get("local-70b");
        topology.Pools.RemoveAt(1);

        var error = Assert.Throws<NotSupportedException>(() => DisaggSimulation.Run(topology, Load));

        Assert.Contains("'local-70b' has no decode pool", error.Message, StringComparison.Ordinal);
    }
}
