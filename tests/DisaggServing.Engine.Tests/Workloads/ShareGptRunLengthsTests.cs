using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Performance;
using DisaggServing.Engine.Simulation;
using DisaggServing.Engine.Workloads;
using DisaggServing.Scheduling.Configuration;

namespace DisaggServing.Engine.Tests.Workloads;

/// <summary>ShareGPT lengths drawn at a run's own means, filtered as the benchmark clients sample the dataset.</summary>
public class ShareGptRunLengthsTests
{
    [Theory]
    [InlineData(229.46, 216.91, BenchmarkClient.Vllm)]
    [InlineData(232.6, 220.61, BenchmarkClient.Vllm)]
    [InlineData(600, 900, BenchmarkClient.Vllm)]
    [InlineData(297.156, 192.432, BenchmarkClient.Sglang)]
    [InlineData(20, 1500, BenchmarkClient.Sglang)]
    public void Drawn_means_match_the_spec_within_two_percent_and_no_draw_breaks_the_filter(double meanIn, double meanOut, BenchmarkClient client)
    {
        var lengths = new ShareGptRunLengths(meanIn, meanOut, client);
        var random = new Random(11);
        var draws = Enumerable.Range(0, 40_000).Select(_ => lengths.Sample(random)).ToArray();

        Assert.Equal(meanIn, draws.Average(d => (double)d.InputTokens), meanIn * 0.02);
        Assert.Equal(meanOut, draws.Average(d => (double)d.OutputTokens), meanOut * 0.02);
        var (min, maxIn, maxTotal) = client == BenchmarkClient.Vllm ? (4, 1024, 2048) : (2, ShareGptRunLengths.LongestTokens, int.MaxValue);
        Assert.All(draws, d =>
        {
            Assert.InRange(d.InputTokens, min, maxIn);
            Assert.True(d.OutputTokens >= min, $"output {d.OutputTokens} below {min}");
            Assert.True((long)d.InputTokens + d.OutputTokens <= maxTotal, $"{d.InputTokens} + {d.OutputTokens} above {maxTotal}");
        });
        // A real spread, not the mean repeated.
        var outputs = draws.Select(d => (double)d.OutputTokens).ToArray();
        var deviation = Math.Sqrt(outputs.Average(o => (o - meanOut) * (o - meanOut)));
        Assert.True(deviation > 0.25 * meanOut, $"output lengths' standard deviation {deviation:F0} against mean {meanOut}");
    }

    [Fact]
    public void The_vllm_filter_drops_whole_conversations_so_long_prompts_keep_short_outputs()
    {
        // vllm bench serve skips a conversation whose prompt + output passes 2,048 tokens: draws keep the joint bound.
        var lengths = new ShareGptRunLengths(600, 900);
        Assert.False(lengths.Keeps(1024, 1025));
        Assert.True(lengths.Keeps(1024, 1024));
        Assert.False(lengths.Keeps(3, 100));
        Assert.False(lengths.Keeps(1025, 4));
    }

    [Fact]
    public void The_same_seed_gives_the_same_lengths_and_another_seed_others()
    {
        var spec = WorkloadSpec.Parse("sharegpt:229.46:216.91");
        var a = spec.Generate(200, seed: 3);
        Assert.Equal(a, WorkloadSpec.Parse("sharegpt:229.46:216.91").Generate(200, seed: 3));
        Assert.NotEqual(a, spec.Generate(200, seed: 4));
        Assert.True(a.Select(r => r.InputTokens).Distinct().Count() > 50, "lengths vary from request to request");
    }

    [Fact]
    public void Closed_loop_clients_with_drawn_lengths_do_not_finish_in_lockstep()
    {
        // With fixed lengths four clients start together, finish on the same step and send their next prompts at
        // the same instant, wave after wave; ShareGPT's drawn lengths of the same means spread them out.
        var engine = new EngineSpec { Model = ModelCatalog.Llama31_8B, Gpu = GpuCatalog.H100Sxm, TensorParallel = 1, WeightDtype = DType.Fp8 }.Validate();
        var cluster = new ClusterSpec { Colocated = new PoolSpec(engine, 1), Routing = RoutingProfiles.RoundRobin };
        double SharedArrivals(WorkloadSpec workload)
        {
            var (_, latencies) = ClusterSimulator.RunClosedLoop(cluster, workload.Generate(120), concurrency: 4, progress: null);
            var later = latencies.Where(r => r.ArrivalSeconds > 0).ToArray();
            var shared = later.Count(r => later.Count(o => Math.Abs(o.ArrivalSeconds - r.ArrivalSeconds) < 1e-9) > 1);
            return (double)shared / later.Length;
        }

        var fixedLengths = SharedArrivals(WorkloadSpec.Fixed(229, 217));
        var drawn = SharedArrivals(WorkloadSpec.ShareGptMeans(229.46, 216.91));
        var shares = $"requests sharing their arrival: fixed {fixedLengths:P0}, drawn {drawn:P0}";
        Assert.True(fixedLengths > 0.5, shares);
        Assert.True(drawn < 0.1, shares);
    }
}
