using DisaggServing.Engine.Catalog;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Engine.Tests.Performance;

public class CompressedAttentionTests
{
    private static readonly EngineSpec FlashTp4 = new()
    {
        Model = ModelCatalog.DeepSeekV4Flash, Gpu = GpuCatalog.B200, TensorParallel = 4, WeightDtype = DType.Mxfp4, Engine = EngineProfiles.Sglang,
    };

    private static BatchShape Decodes(int sequences, int context)
    {
        var shape = new BatchShape();
        for (var i = 0; i < sequences; i++) shape.Add(1, context, true);
        return shape;
    }

    [Fact]
    public void DeepSeek_V4s_geometry_gives_the_cards_parameter_counts()
    {
        var flash = ModelCatalog.DeepSeekV4Flash;
        // 284.3B without the MTP layer, 13.8B active with the embeddings (the card: 284B, 13B).
        Assert.InRange(flash.TotalParams, 284.0e9, 284.6e9);
        Assert.InRange(flash.ActiveParams, 13.6e9, 14.0e9);
        // Pro: 1.573T without its MTP layer (the card's 1.6T counts it), 49.8B active.
        var pro = ModelCatalog.DeepSeekV4Pro;
        Assert.InRange(pro.TotalParams, 1.57e12, 1.58e12);
        Assert.InRange(pro.ActiveParams, 49.4e9, 50.2e9);
    }

    [Fact]
    public void A_token_caches_a_quarter_entry_and_indexer_key_in_each_sparse_layer_and_a_128th_entry_in_each_dense_one()
    {
        var attention = ModelCatalog.DeepSeekV4Flash.Compressed!;
        // 448 FP8 + 64 BF16 RoPE + 7 scales + 1 pad; the indexer key 128 FP8 + an FP32 scale.
        Assert.Equal(584, attention.EntryBytes);
        Assert.Equal(132, attention.IndexerEntryBytes);
        Assert.Equal(21 * (584 + 132) / 4.0 + 20 * 584 / 128.0, attention.PooledBytesPerToken, 6);
        // Every engine keeps it in FP8, replicated on each TP rank (one key/value head), a 1/TP share under attention DP.
        Assert.Equal(DType.Fp8, FlashTp4.EffectiveKvDtype);
        Assert.Equal(attention.PooledBytesPerToken, MemoryModel.KvBytesPerTokenPerGpu(FlashTp4), 6);
        Assert.Equal(attention.PooledBytesPerToken / 4, MemoryModel.KvBytesPerTokenPerGpu(FlashTp4 with { AttentionDataParallel = true }), 6);
    }

    [Fact]
    public void A_query_attends_to_the_window_the_top_k_sparse_entries_and_every_dense_one()
    {
        var attention = ModelCatalog.DeepSeekV4Flash.Compressed!;
        // 50 tokens of history: all of them in the window of every layer, 12 sparse and 0 dense entries.
        Assert.Equal(43 * 50 + 21 * 12.5 + 20 * 50 / 128.0, attention.KeysAttended(43, 50), 6);
        // 100,000: the 128-token window, the top 512 of 25,000 sparse entries, all 781 dense ones.
        Assert.Equal(43 * 128 + 21 * 512 + 20 * 100000 / 128.0, attention.KeysAttended(43, 100000), 6);
        // The indexer scores all 25,000 entries in each sparse layer.
        Assert.Equal(21 * 25000, attention.KeysIndexed(100000), 6);
    }

    [Fact]
    public void Decode_attention_grows_with_the_dense_layers_and_the_indexer_not_with_every_key()
    {
        var model = new StepTimeModel(FlashTp4, EngineOverheads.None);
        var near = model.Cost(Decodes(64, 8_000));
        var far = model.Cost(Decodes(64, 64_000));
        // Eight times the context reads more (the indexer keys and dense entries grow with it) but far less than eight
        // times the KV a dense MQA layer would read.
        Assert.True(far.KvSeconds > near.KvSeconds);
        Assert.True(far.KvSeconds < 4 * near.KvSeconds);
        Assert.True(far.AttentionComputeSeconds > near.AttentionComputeSeconds);
    }

    [Fact]
    public void The_sparse_kernels_compute_a_ranks_heads_padded_to_64_or_128()
    {
        // Flash at TP4: 16 heads a rank, computed as 64; Pro at TP8: 16 as 64; Pro under attention DP: all 128.
        Assert.Equal(64, CompressedAttention.PaddedHeadsPerRank(FlashTp4));
        var pro = FlashTp4 with { Model = ModelCatalog.DeepSeekV4Pro, TensorParallel = 8 };
        Assert.Equal(64, CompressedAttention.PaddedHeadsPerRank(pro));
        Assert.Equal(128, CompressedAttention.PaddedHeadsPerRank(pro with { AttentionDataParallel = true }));
    }

    [Fact]
    public void The_release_keeps_attention_in_block_FP8_beside_its_MXFP4_experts()
    {
        var flash = ModelCatalog.DeepSeekV4Flash;
        Assert.Equal(DType.Mxfp4, flash.CheckpointDtype);
        Assert.Equal(DType.Fp8, flash.DenseWeights(DType.Mxfp4));
        // SGLang's FP8 conversion and NVIDIA's NVFP4 export resolve to the same shapes.
        Assert.Equal(DType.Fp8, ModelCatalog.Get("sgl-project/DeepSeek-V4-Flash-FP8").CheckpointDtype);
        Assert.Equal(DType.Fp4, ModelCatalog.Get("nvidia/DeepSeek-V4-Pro-NVFP4").CheckpointDtype);
        Assert.Equal(ModelCatalog.DeepSeekV4Pro.Compressed, ModelCatalog.Get("nvidia/DeepSeek-V4-Pro-NVFP4").Compressed);
        // Flash's July release is the same model in the same formats.
        Assert.Equal(flash with { Id = "deepseek-ai/DeepSeek-V4-Flash-0731", AliasOf = flash.Id }, ModelCatalog.Get("deepseek-ai/DeepSeek-V4-Flash-0731"));
    }

    [Fact]
    public void Below_Hopper_every_engine_refuses_it_naming_the_gpus_that_run_it()
    {
        var a100 = FlashTp4 with { Gpu = GpuCatalog.A100_80G, TensorParallel = 8, Engine = EngineProfiles.Vllm };
        var refusal = a100.UnsupportedFormat();
        Assert.NotNull(refusal);
        Assert.Contains("Hopper or Blackwell", refusal);
        Assert.Null(FlashTp4.UnsupportedFormat());
        // Its cache is FP8 in every engine: a BF16 one is refused with the fix.
        var bf16 = (FlashTp4 with { KvCacheDtype = DType.Bf16 }).UnsupportedFormat();
        Assert.NotNull(bf16);
        Assert.Contains("--kv-cache-dtype fp8", bf16);
    }

    [Fact]
    public void A_config_json_whose_compress_ratios_miss_layers_is_refused_naming_the_field()
    {
        const string config = """
            {"model_type": "deepseek_v4", "hidden_size": 4096, "num_hidden_layers": 4, "num_attention_heads": 64,
             "num_key_value_heads": 1, "head_dim": 512, "qk_rope_head_dim": 64, "q_lora_rank": 1024, "o_lora_rank": 1024,
             "o_groups": 8, "sliding_window": 128, "compress_ratios": [0, 4], "index_n_heads": 64, "index_head_dim": 128,
             "index_topk": 512, "vocab_size": 129280, "intermediate_size": 2048}
            """;
        var error = Assert.Throws<InputException>(() => HfModelConfig.Parse(config, "local/v4"));
        Assert.Contains("compress_ratios", error.Message);
        Assert.Contains("4 layers", error.Message);
    }

    [Fact]
    public void SGLangs_pool_sets_a_tenth_of_a_window_slot_aside_a_token_and_vLLMs_none()
    {
        var attention = ModelCatalog.DeepSeekV4Flash.Compressed!;
        // A slot: 43 window entries and 8/128 of each sparse layer's FP32 compressor-state ring (2 × 2 × (512 + 128) × 4 bytes).
        Assert.Equal(43 * 584 + 8.0 / 128 * 10240 * 21, attention.WindowSlotBytes(43), 6);
        // SGLang's pool configurator: 0.1 × 38,552 + 3,850.25 = 7,705.45 bytes a token (its swa_full_tokens_ratio for the model).
        Assert.Equal(7705.45, MemoryModel.Plan(FlashTp4).KvBytesPerToken, 2);
        Assert.Equal(3850.25 + 0.5 * 38552, MemoryModel.Plan(FlashTp4 with { WindowPoolRatio = 0.5 }).KvBytesPerToken, 2);
        // vLLM keeps no window pool; its pages are padded layer tuples (below).
        Assert.Equal(4108.5, MemoryModel.Plan(FlashTp4 with { Engine = EngineProfiles.Vllm }).KvBytesPerToken, 2);
    }

    [Fact]
    public void VLLM_pages_the_compressed_caches_in_layer_tuples_padded_to_576_bytes_as_many_as_its_groups_round_up_to()
    {
        var flash = ModelCatalog.DeepSeekV4Flash;
        var pro = ModelCatalog.Get("deepseek-ai/DeepSeek-V4-Pro");
        // Flash's groups: 21 compressed-cache tuples, 43 windows, 21 and 20 compressor states: 22 pads them least (5
        // layers, against 21 at 21 tuples); Pro's 31, 61, 30 and 31 stay at 31.
        Assert.Equal(22, flash.Compressed!.VllmLayerTuples(flash.Layers));
        Assert.Equal(31, pro.Compressed!.VllmLayerTuples(pro.Layers));
        // A 256-token block: 64 sparse entries (37,376 → 37,440 bytes), 64 indexer keys (8,448 → 8,640), 2 dense entries
        // (1,168 → 1,728) in each tuple.
        Assert.Equal(22 * 47808 / 256.0, flash.Compressed.VllmPagedBytesPerToken(flash.Layers), 9);
        Assert.Equal(31 * 47808 / 256.0, pro.Compressed.VllmPagedBytesPerToken(pro.Layers), 9);
    }

    [Fact]
    public void VLLMs_logged_concurrency_for_flash_on_eight_b200s_follows_from_the_modelled_pool()
    {
        // vllm-project/vllm#51454 (v0.25.0, DeepSeek-V4-Flash-0731, 8 × B200, --gpu-memory-utilization 0.95, block size
        // 256, 8,192 batched tokens, 1,048,576 positions) logs a maximum concurrency of 20.43 at TP8 and 156.9 at DP8
        // (eight engines). vLLM divides its pool by a request's worst case at the full context, each block costing all
        // 22 layer tuples (1,051,776 bytes): 4,096 blocks of compressed caches, and for the sliding groups their window
        // plus a whole step's batched tokens: two window groups of cdiv(127 + 8192, 64) + 1 = 131 blocks, the 4-token
        // compressor states cdiv(7 + 8192, 4) + 1 = 2,051, the 8-token ones cdiv(127 + 8192, 8) + 1 = 1,041.
        const double requestBytes = (4096 + 2 * 131 + 2051 + 1041) * 22 * 47808.0;
        var tp8 = new EngineSpec
        {
            Model = ModelCatalog.Get("deepseek-ai/DeepSeek-V4-Flash-0731"), Gpu = GpuCatalog.B200, TensorParallel = 8,
            WeightDtype = DType.Mxfp4, Engine = EngineProfiles.Vllm, GpuMemoryUtilization = 0.95,
        };
        double Pool(EngineSpec spec)
        {
            var plan = MemoryModel.Plan(spec);
            return plan.KvBlocks * plan.BlockSize * plan.KvBytesPerToken;
        }
        Assert.InRange(Pool(tp8) / requestBytes / 20.43, 0.98, 1.02);
        // DP8 with expert parallelism: each rank's pool is its own engine's, and the log sums the eight.
        Assert.InRange(8 * Pool(tp8 with { AttentionDataParallel = true, ExpertParallel = 8 }) / requestBytes / 156.9, 0.98, 1.02);
    }
}
