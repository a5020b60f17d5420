using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Tests.Performance;

public class DsaAttentionTests
{
    // DeepSeek-V3.2 (128 heads, 64 indexer heads) on eight H200 at plain TP8: 16 heads a rank.
    private static readonly EngineSpec V32Tp8 = new()
    {
        Model = ModelCatalog.Get("deepseek-ai/DeepSeek-V3.2"), Gpu = GpuCatalog.H200Sxm, TensorParallel = 8, WeightDtype = DType.Fp8,
    };

    private static StepCost Prefill(EngineSpec spec, int tokens) =>
        new StepTimeModel(spec, EngineOverheads.None).Cost(BatchShape.Of(tokens, tokens, isDecode: false));

    [Fact]
    public void Sparse_mla_pads_a_ranks_heads_to_the_kernels_head_tile_of_64_on_hopper_and_128_on_blackwell()
    {
        Assert.Equal(64, DsaAttention.PaddedHeadsPerRank(V32Tp8));
        Assert.Equal(128, DsaAttention.PaddedHeadsPerRank(V32Tp8 with { Gpu = GpuCatalog.B200 }));
        // GLM-5's 64 heads at TP8 leave 8 a rank, padded the same; attention DP keeps all 128 of V3.2's, a whole tile twice.
        Assert.Equal(64, DsaAttention.PaddedHeadsPerRank(V32Tp8 with { Model = ModelCatalog.Glm5Fp8 }));
        Assert.Equal(128, DsaAttention.PaddedHeadsPerRank(V32Tp8 with { AttentionDataParallel = true, ExpertParallel = 8 }));
    }

    [Fact]
    public void Sparse_mla_scores_latent_keys_of_576_and_sums_latent_values_of_512_for_every_padded_head()
    {
        // 2 × (576 + 512) FLOPs a head, 64 padded heads, 61 layers; with attention DP a rank runs 1/8 of the pairs on its 128.
        Assert.Equal(2.0 * 1088 * 64 * 61, DsaAttention.FlopsPerPair(V32Tp8), 6);
        Assert.Equal(2.0 * 1088 * 128 * 61 / 8, DsaAttention.FlopsPerPair(V32Tp8 with { AttentionDataParallel = true, ExpertParallel = 8 }), 6);
    }

    [Fact]
    public void The_dsa_indexer_is_replicated_on_every_tp_rank_so_tp_does_not_shrink_its_scoring()
    {
        // A 32K-token prompt: the indexer scores 64 heads × 128 dims of every (query, earlier key) pair on each rank,
        // TP2 or TP8 alike, while the main attention's 16 heads at TP8 pad to the same 64-head tile as TP2's 64.
        var tp8 = Prefill(V32Tp8, 32_000).AttentionComputeSeconds;
        var tp2 = Prefill(V32Tp8 with { TensorParallel = 2 }, 32_000).AttentionComputeSeconds;
        Assert.InRange(tp8 / tp2, 0.99, 1.01);
    }

    [Fact]
    public void The_dsa_indexer_projections_are_replicated_weights_on_every_tp_rank()
    {
        var m = ModelCatalog.Glm5Fp8;
        var mla = m.Mla!;
        var indexer = (double)mla.QLoraRank * mla.IndexerHeads * mla.IndexerHeadDim + (double)m.Hidden * (mla.IndexerHeadDim + mla.IndexerHeads);
        var withoutIndexer = m with { Mla = mla with { IndexerHeads = 0, IndexerHeadDim = 0, IndexerTopK = 0 } };
        Assert.Equal(indexer, m.ReplicatedAttentionParamsPerLayer - withoutIndexer.ReplicatedAttentionParamsPerLayer, 6);
    }

    [Fact]
    public void Sglang_charges_every_dsa_layer_a_fixed_time_a_step_that_vllm_and_a_model_without_an_indexer_do_not_pay()
    {
        static double Floor(EngineSpec spec) =>
            new StepTimeModel(spec, EngineOverheads.None).Cost(BatchShape.Of(1, 1024, isDecode: true)).ElementwiseSeconds;
        var sglang = V32Tp8 with { Engine = EngineProfiles.Sglang };
        var free = sglang with { Engine = EngineProfiles.Sglang with { DsaLayerSeconds = 0 } };
        Assert.Equal(61 * EngineProfiles.SglangDsaLayerSeconds, Floor(sglang) - Floor(free), 9);
        Assert.Equal(0, EngineProfiles.Vllm.DsaLayerSeconds);
        // DeepSeek-R1 is V3.2's stack without the indexer: no DSA layer to charge.
        var r1 = sglang with { Model = ModelCatalog.Get("deepseek-ai/DeepSeek-R1-0528") };
        Assert.Equal(Floor(r1 with { Engine = free.Engine }), Floor(r1), 12);
    }
}
