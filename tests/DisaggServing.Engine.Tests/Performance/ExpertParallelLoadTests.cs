using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Tests.Performance;

public class ExpertParallelLoadTests
{
    [Fact]
    public void Without_expert_parallelism_the_busiest_rank_is_every_rank_and_sees_the_mean_hits()
    {
        foreach (var tokens in new[] { 1.0, 4, 64, 4096 })
            Assert.Equal(StepTimeModel.ExpectedExpertsHit(256, 8, tokens), ExpertParallelLoad.BusiestRankHits(256, 8, tokens, 1), 9);
    }

    [Fact]
    public void Few_decode_tokens_load_the_busiest_rank_well_above_its_share_and_many_load_every_rank_fully()
    {
        // Four DeepSeek-R1 tokens hit ~30 of 256 experts, 3.75 on each of 8 ranks on average; the busiest has about 6.
        var mean = StepTimeModel.ExpectedExpertsHit(256, 8, 4) / 8;
        var busiest = ExpertParallelLoad.BusiestRankHits(256, 8, 4, 8);
        Assert.InRange(busiest / mean, 1.4, 2.0);
        // Thousands of tokens hit every expert: all 32 on every rank.
        Assert.Equal(32, ExpertParallelLoad.BusiestRankHits(256, 8, 4096, 8), 6);
        // In between the excess shrinks as coverage fills.
        var at64 = ExpertParallelLoad.BusiestRankHits(256, 8, 64, 8) / (StepTimeModel.ExpectedExpertsHit(256, 8, 64) / 8);
        Assert.InRange(at64, 1.0, busiest / mean);
    }

    [Fact]
    public void The_busiest_rank_matches_a_simulated_skewed_router()
    {
        // Draw each trial's expert popularity from the Dirichlet ExpertRouting assumes (Gamma(α) weights, normalized),
        // route tokens to k distinct experts by it, count each rank's distinct experts, keep the maximum.
        var random = new Random(12345);
        foreach (var (experts, k, tokens, ep) in new[] { (256, 8, 4, 8), (256, 8, 32, 8), (128, 4, 8, 4), (128, 4, 16, 2) })
        {
            const int trials = 4000;
            double sum = 0;
            var perRank = experts / ep;
            for (var t = 0; t < trials; t++)
            {
                var weight = Enumerable.Range(0, experts).Select(_ => Gamma(random, ExpertRouting.Concentration)).ToArray();
                var hit = new bool[experts];
                for (var i = 0; i < tokens; i++)
                    foreach (var e in Enumerable.Range(0, experts).OrderBy(e => -Math.Log(random.NextDouble()) / weight[e]).Take(k)) hit[e] = true;
                sum += Enumerable.Range(0, ep).Max(r => hit.Skip(r * perRank).Take(perRank).Count(h => h));
            }
            // Distinct experts of one token are not independent, and the ranks' hits are taken as binomial at the mean
            // rate: within 6%.
            Assert.Equal(1, ExpertParallelLoad.BusiestRankHits(experts, k, tokens, ep) / (sum / trials), 0.06);
        }
    }

    [Fact]
    public void A_moe_decode_step_under_expert_parallelism_reads_the_busiest_ranks_experts()
    {
        var spec = new EngineSpec
        {
            Model = ModelCatalog.Get("deepseek-ai/DeepSeek-R1-0528"), Gpu = GpuCatalog.H200Sxm, TensorParallel = 8, ExpertParallel = 8,
            WeightDtype = DType.Fp8, Engine = EngineProfiles.Trtllm,
        };
        var m = spec.Model;
        var rate = spec.Gpu.HbmBandwidth * spec.EffectiveConstants.HbmEfficiency;
        var expertRead = m.MoeLayers * m.ExpertParams * spec.WeightDtype.Bytes() / rate; // one whole expert, every MoE layer
        var model = new StepTimeModel(spec, EngineOverheads.None);
        var one = model.Cost(BatchShape.Of(1, 1000, isDecode: true)).MemorySeconds;
        var batch = new BatchShape();
        for (var i = 0; i < 4; i++) batch.Add(1, 1000, isDecode: true);
        var four = model.Cost(batch).MemorySeconds;
        var busiest = ExpertParallelLoad.BusiestRankHits(256, 8, 4, 8) - ExpertParallelLoad.BusiestRankHits(256, 8, 1, 8);
        Assert.Equal(busiest * expertRead, four - one, 9);
    }

    // A Gamma(shape, 1) draw (Marsaglia and Tsang; shape ≥ 1).
    private static double Gamma(Random random, double shape)
    {
        var d = shape - 1.0 / 3;
        var c = 1 / Math.Sqrt(9 * d);
        while (true)
        {
            double x, v;
            do
            {
                // Box-Muller normal.
                x = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
                v = 1 + c * x;
            }
            while (v <= 0);
            v = v * v * v;
            var u = random.NextDouble();
            if (Math.Log(u) < 0.5 * x * x + d - d * v + d * Math.Log(v)) return d * v;
        }
    }
}
