using DisaggServing.Engine;
using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Metrics;
using DisaggServing.Engine.Performance;
using DisaggServing.Engine.Simulation;
using DisaggServing.Engine.Workloads;

namespace DisaggServing.Engine.Tests.Simulation;

public class ClusterSimulatorTests
{
    private static readonly EngineSpec Tp2 = new() { Model = ModelCatalog.Llama33_70B, Gpu = GpuCatalog.H100Sxm, TensorParallel = 2, WeightDtype = DType.Fp8 };
    private static readonly ClusterSpec Disaggregated = new() { Prefill = new PoolSpec(Tp2, 2), Decode = new PoolSpec(Tp2, 2) };
    private static readonly ClusterSpec Colocated = new() { Colocated = new PoolSpec(Tp2, 4) };

    [Fact]
    public void Same_seed_gives_the_same_report()
    {
        var workload = WorkloadSpec.ShareGpt.Generate(500, 20, seed: 7);
        var a = ClusterSimulator.Run(Disaggregated, workload, new SloSpec(500, 50)) with { WallSeconds = 0 };
        var b = ClusterSimulator.Run(Disaggregated, WorkloadSpec.ShareGpt.Generate(500, 20, seed: 7), new SloSpec(500, 50)) with { WallSeconds = 0 };
        Assert.Equal(a.ToJson(), b.ToJson());
        var other = ClusterSimulator.Run(Disaggregated, WorkloadSpec.ShareGpt.Generate(500, 20, seed: 8), new SloSpec(500, 50));
        Assert.NotEqual(a.TtftMs, other.TtftMs);
    }

    [Fact]
    public void Every_disaggregated_request_moves_its_kv_once_and_finishes()
    {
        var workload = WorkloadSpec.Fixed(2000, 50).Generate(200, 10, seed: 1);
        var report = ClusterSimulator.Run(Disaggregated, workload, SloSpec.None);
        Assert.Equal(200, report.Completed);
        Assert.Equal(200, report.KvTransfers);
        Assert.Equal(0, report.Extra!["failed_kv_transfers"]);
        // Separate prefill and decode nodes: 2000 tokens × 163,840 B (FP8) over 2 decode ranks on 50 GB/s EFA each.
        var expected = new KvTransferModel(Tp2, Tp2, LinkKind.Efa).TransferSeconds(2000) * 1000;
        Assert.InRange(report.MeanKvTransferMs!.Value, expected, expected * 3);
    }

    [Fact]
    public void Disaggregated_ttft_includes_the_kv_transfer_and_a_decode_step()
    {
        var workload = WorkloadSpec.Fixed(4000, 20).Generate(1, null, seed: 1);
        var pd = ClusterSimulator.Run(Disaggregated, workload, SloSpec.None);
        var co = ClusterSimulator.Run(Colocated, workload, SloSpec.None);
        var transfer = new KvTransferModel(Tp2, Tp2, LinkKind.Efa).TransferSeconds(4000) * 1000;
        Assert.True(pd.TtftMs.P50 > co.TtftMs.P50 + transfer * 0.99, $"P/D {pd.TtftMs.P50} ms, colocated {co.TtftMs.P50} ms, transfer {transfer} ms");
    }

    [Fact]
    public void Leases_that_expire_while_decode_is_saturated_fall_back_to_recompute()
    {
        // One prefill engine feeding one decode engine whose KV cache holds ~9 requests: later requests wait > 30 s
        // for decode blocks, their prefill leases expire, and decode recomputes the prompt (vLLM's recompute policy).
        var smallKv = Tp2 with { GpuMemoryUtilization = 0.47, MaxNumBatchedTokens = 2048 };
        var cluster = new ClusterSpec { Prefill = new PoolSpec(Tp2, 1), Decode = new PoolSpec(smallKv, 1) };
        var workload = WorkloadSpec.Fixed(500, 400).Generate(150, 50, seed: 3);
        var report = ClusterSimulator.Run(cluster, workload, SloSpec.None);
        Assert.Equal(150, report.Completed);
        Assert.True((int)report.Extra!["failed_kv_transfers"] > 0);
    }

    [Fact]
    public void A_prefill_engine_whose_blocks_are_all_leased_resumes_when_the_leases_expire()
    {
        // Regression (issue 11): BF16 70B on TP2 leaves ~1,100 KV blocks. The prefill engine fills them with leases for
        // requests queued behind the saturated decode engine, goes idle with requests waiting, and nothing woke it
        // when those leases expired: the run stalled with requests unfinished.
        var bf16 = Tp2 with { WeightDtype = DType.Bf16 };
        var cluster = new ClusterSpec { Prefill = new PoolSpec(bf16, 1), Decode = new PoolSpec(bf16, 1) };
        // ShareGPT at long replies (338 tokens on average) keeps the decode engine saturated.
        var report = ClusterSimulator.Run(cluster, WorkloadSpec.ShareGptMeans(161, 338).Generate(500, 7, seed: 1), SloSpec.None);
        Assert.Equal(500, report.Completed);
        Assert.True((int)report.Extra!["failed_kv_transfers"] > 0);
    }

    [Fact]
    public void A_decode_engine_that_admits_a_request_whose_lease_has_expired_prefills_it_locally_at_once()
    {
        // Regression: `disagg plan` over 8,000-token prompts stalled on BF16 70B with one TP2 decode engine, which holds
        // one such request at a time. A request it admitted found its prefill lease expired and was requeued to
        // prefill locally, but the engine was idle and nothing scheduled it again: half the requests never finished.
        var bf16 = Tp2 with { WeightDtype = DType.Bf16 };
        var cluster = new ClusterSpec { Prefill = new PoolSpec(bf16, 4), Decode = new PoolSpec(bf16, 1) };
        var report = ClusterSimulator.Run(cluster, WorkloadSpec.Fixed(8000, 300).Generate(40, 4.4, seed: 1), SloSpec.None);
        Assert.Equal(40, report.Completed);
        Assert.True((int)report.Extra!["failed_kv_transfers"] > 0);
    }

    [Fact]
    public void Prompts_below_the_decode_only_threshold_skip_prefill_and_its_transfer()
    {
        var workload = WorkloadSpec.Fixed(200, 20).Generate(50, 5, seed: 1);
        var report = ClusterSimulator.Run(Disaggregated with { DecodeOnlyThresholdTokens = 256 }, workload, SloSpec.None);
        Assert.Equal(50, report.Completed);
        Assert.Equal(0, report.KvTransfers);
        Assert.Equal(50, report.Extra!["decode_only_requests"]);
    }

    [Fact]
    public void Replicas_placed_on_one_node_move_kv_over_nvlink()
    {
        var workload = WorkloadSpec.Fixed(2000, 50).Generate(20, 1, seed: 1);
        var shared = new ClusterSpec { Prefill = new PoolSpec(Tp2, 1) { Nodes = [0] }, Decode = new PoolSpec(Tp2, 1) { Nodes = [0] } };
        var apart = shared with { Decode = new PoolSpec(Tp2, 1) { Nodes = [1] } };
        var nvlink = ClusterSimulator.Run(shared, workload, SloSpec.None).MeanKvTransferMs!.Value;
        var efa = ClusterSimulator.Run(apart, workload, SloSpec.None).MeanKvTransferMs!.Value;
        Assert.True(nvlink < efa, $"NVLink {nvlink} ms, EFA {efa} ms");
    }

    [Fact]
    public void Colocated_runs_have_no_transfers()
    {
        var report = ClusterSimulator.Run(Colocated, WorkloadSpec.ShareGpt.Generate(100, 5, seed: 2), SloSpec.None);
        Assert.Equal(100, report.Completed);
        Assert.Null(report.KvTransfers);
    }

    [Fact]
    public void Disaggregation_beats_colocation_per_gpu_under_a_tight_tpot_slo()
    {
        // DistServe's direction: chatbot traffic, a TPOT bound near one decode step. Prefill chunks stretch the
        // colocated engines' decode steps past the bound; dedicated decode engines keep it. Equal GPU count (16).
        var slo = new SloSpec(ttftMs: 400, tpotMs: 17);
        var pd = ClusterSimulator.FindGoodput(new ClusterSpec { Prefill = new PoolSpec(Tp2, 2), Decode = new PoolSpec(Tp2, 6) }, WorkloadSpec.ShareGpt, 1500, 1, slo);
        var co = ClusterSimulator.FindGoodput(new ClusterSpec { Colocated = new PoolSpec(Tp2, 8) }, WorkloadSpec.ShareGpt, 1500, 1, slo);
        Assert.True(pd.GoodputRps > 1.1 * co.GoodputRps, $"P/D {pd.GoodputRps} rps vs colocated {co.GoodputRps} rps");
    }

    [Fact]
    public void A_request_larger_than_an_engine_is_rejected_up_front()
    {
        var workload = new[] { new WorkloadRequest(0, 2_000_000, 10) };
        var error = Assert.Throws<InputException>(() => ClusterSimulator.Run(Colocated, workload, SloSpec.None));
        Assert.Contains("needs", error.Message);
    }

    [Fact]
    public void Half_specified_clusters_are_rejected()
    {
        Assert.Throws<InputException>(() => new ClusterSpec { Prefill = new PoolSpec(Tp2, 1) }.Validate());
        Assert.Throws<InputException>(() => (Disaggregated with { Colocated = new PoolSpec(Tp2, 1) }).Validate());
        Assert.Throws<InputException>(() => (Colocated with { Routing = null! }).Validate());
    }

    [Theory]
    [InlineData("4:2", 4, 2)]
    [InlineData("1:8", 1, 8)]
    public void Pool_specs_parse(string text, int replicas, int tp)
    {
        var pool = PoolSpec.Parse(text, Tp2, "--prefill");
        Assert.Equal(replicas, pool.Replicas);
        Assert.Equal(tp, pool.Engine.TensorParallel);
    }

    [Theory]
    [InlineData("4")]
    [InlineData("a:2")]
    [InlineData("0:2")]
    [InlineData("2:0")]
    [InlineData("2:3")]
    public void Bad_pool_specs_name_the_option(string text) =>
        Assert.Contains("--decode", Assert.Throws<InputException>(() => PoolSpec.Parse(text, Tp2, "--decode")).Message);
}
