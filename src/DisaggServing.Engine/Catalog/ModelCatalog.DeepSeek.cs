namespace DisaggServing.Engine.Catalog;

/// <summary>DeepSeek-V3-shaped MLA MoE models (DeepSeek V3/R1, GLM-5, Mistral Large 3) and the checkpoints that share their geometry.</summary>
public static partial class ModelCatalog
{
    /// <summary>
    /// deepseek-ai/DeepSeek-V3: 61 layers (first 3 dense, FFN 18432), 7168 hidden, 128 heads, MLA (q_lora 1536,
    /// kv_lora 512, nope 128, rope 64, v 128), 256 routed experts top-8 + 1 shared of width 2048, vocab 129280.
    /// The MTP module (used only for speculative decoding) is left out. The checkpoint ships block-wise FP8 weights.
    /// </summary>
    public static readonly ModelSpec DeepSeekV3 = new("deepseek-ai/DeepSeek-V3",
        Layers: 61, Hidden: 7168, Heads: 128, KvHeads: 128, HeadDim: 192, Ffn: 18432, Vocab: 129280, TiedEmbeddings: false,
        MaxContext: 163840, AttentionKind.Mla, Moe: new MoeSpec(256, 8, 1, 2048, DenseLayers: 3) { BiasedSigmoidRouting = true, ExpertGroups = 8 },
        Mla: new MlaSpec(QLoraRank: 1536, KvLoraRank: 512, QkNopeHeadDim: 128, QkRopeHeadDim: 64, VHeadDim: 128),
        PublishedParams: 671e9, PublishedActiveParams: 37e9) { CheckpointDtype = DType.Fp8, BlockScaledFp8 = true, MtpLayers = 1 };

    /// <summary>
    /// zai-org/GLM-5-FP8 (glm_moe_dsa): 78 layers (first 3 dense, FFN 12288), 6144 hidden, 64 heads, MLA (q_lora 2048,
    /// kv_lora 512, nope 192, rope 64, v 256) with a DeepSeek Sparse Attention indexer (32 heads of 128, top-2048),
    /// 256 routed experts top-8 + 1 shared of width 2048, vocab 154880.
    /// </summary>
    public static readonly ModelSpec Glm5Fp8 = new("zai-org/GLM-5-FP8",
        Layers: 78, Hidden: 6144, Heads: 64, KvHeads: 64, HeadDim: 256, Ffn: 12288, Vocab: 154880, TiedEmbeddings: false,
        MaxContext: 202752, AttentionKind.Mla, Moe: new MoeSpec(256, 8, 1, 2048, DenseLayers: 3) { BiasedSigmoidRouting = true },
        Mla: new MlaSpec(QLoraRank: 2048, KvLoraRank: 512, QkNopeHeadDim: 192, QkRopeHeadDim: 64, VHeadDim: 256,
            IndexerHeads: 32, IndexerHeadDim: 128, IndexerTopK: 2048),
        PublishedParams: 744e9, PublishedActiveParams: 40e9) { CheckpointDtype = DType.Fp8, BlockScaledFp8 = true, MtpLayers = 1 };

    /// <summary>
    /// zai-org/GLM-5.2-FP8 (glm_moe_dsa, June 2026): GLM-5's shapes with IndexShare: index_topk_freq 4 and
    /// index_skip_topk_offset 3 leave the indexer on 21 of the 78 layers (0-2, then every fourth from 6 to 74); the other
    /// 57 hold no indexer weights or keys and reuse the last indexed layer's top-2048. 1,048,576 positions. The counts
    /// are GLM-5's less the 57 layers' indexer projections (0.5B); the 753B quoted for it counts the MTP layer (9.7B),
    /// which GLM-5's 744B and the geometry leave out.
    /// </summary>
    public static readonly ModelSpec Glm52Fp8 = Glm5Fp8 with
    {
        Id = "zai-org/GLM-5.2-FP8",
        MaxContext = 1048576,
        Mla = Glm5Fp8.Mla! with { IndexedLayers = 21 },
        PublishedParams = Glm5Fp8.PublishedParams - 0.5e9,
    };

    /// <summary>
    /// deepseek-ai/DeepSeek-V3.2-Exp (deepseek_v32): DeepSeek-V3's shapes (61 layers, first 3 dense, 128 heads, MLA
    /// q_lora 1536, kv_lora 512, 256 routed experts top-8 + 1 shared of width 2048, vocab 129280, 163,840 positions,
    /// block-wise FP8) with a DeepSeek Sparse Attention indexer: index_n_heads 64 of index_head_dim 128, index_topk 2048
    /// (the GLM-5 fields). The card's 685B counts the 14B MTP module, as V3's 685B does (671B + 14B); the geometry leaves
    /// it out (672B).
    /// </summary>
    public static readonly ModelSpec DeepSeekV32Exp = DeepSeekV3 with
    {
        Id = "deepseek-ai/DeepSeek-V3.2-Exp",
        Mla = new MlaSpec(QLoraRank: 1536, KvLoraRank: 512, QkNopeHeadDim: 128, QkRopeHeadDim: 64, VHeadDim: 128,
            IndexerHeads: 64, IndexerHeadDim: 128, IndexerTopK: 2048),
        PublishedParams = 685e9,
    };

    /// <summary>
    /// mistralai/Mistral-Large-3-675B-Instruct-2512 (Mistral Large 3, December 2025; vLLM serves it as deepseek_v3): 61
    /// layers (first 3 dense, FFN 16384), 7168 hidden, 128 heads, DeepSeek-V3's MLA (q_lora 1536, kv_lora 512, nope 128,
    /// rope 64, v 128), 128 routed experts top-4 + 1 shared of width 4096 under a softmax router, vocab 131072, 294,912
    /// positions. The release is block-wise FP8 (compressed-tensors FP8_BLOCK, 128 × 128). The card's 675B and 41B count
    /// its 2.5B vision encoder, left out here as for the other image-text checkpoints (673B, 39B).
    /// </summary>
    public static readonly ModelSpec MistralLarge3 = new("mistralai/Mistral-Large-3-675B-Instruct-2512",
        Layers: 61, Hidden: 7168, Heads: 128, KvHeads: 128, HeadDim: 192, Ffn: 16384, Vocab: 131072, TiedEmbeddings: false,
        MaxContext: 294912, AttentionKind.Mla, Moe: new MoeSpec(128, 4, 1, 4096, DenseLayers: 3),
        Mla: new MlaSpec(QLoraRank: 1536, KvLoraRank: 512, QkNopeHeadDim: 128, QkRopeHeadDim: 64, VHeadDim: 128),
        PublishedParams: 673e9, PublishedActiveParams: 39e9) { CheckpointDtype = DType.Fp8, BlockScaledFp8 = true };

    private static readonly ModelSpec[] DeepSeekModels = [DeepSeekV3, Glm5Fp8, Glm52Fp8, DeepSeekV32Exp, MistralLarge3];

    // DeepSeek-R1, R1-0528, V3-0324, V3.1 (and its base), V3.1-Terminus and Prover-V2-671B are post-trainings of V3: the same
    // config.json shapes, block-wise FP8.
    // NVIDIA's ModelOpt NVFP4 quantizations (-FP4, -FP4-v2, the perf overview's -NVFP4-v2) keep the shapes.
    private static readonly ModelAlias[] DeepSeekAliases =
    [
        new("deepseek-ai/DeepSeek-V3-Base", DeepSeekV3, DType.Fp8),
        new("deepseek-ai/DeepSeek-V3-0324", DeepSeekV3, DType.Fp8),
        new("deepseek-ai/DeepSeek-V3.1", DeepSeekV3, DType.Fp8),
        new("deepseek-ai/DeepSeek-V3.1-Base", DeepSeekV3, DType.Fp8),
        new("deepseek-ai/DeepSeek-V3.1-Terminus", DeepSeekV3, DType.Fp8),
        new("deepseek-ai/DeepSeek-Prover-V2-671B", DeepSeekV3, DType.Fp8),
        new("deepseek-ai/DeepSeek-R1", DeepSeekV3, DType.Fp8),
        new("deepseek-ai/DeepSeek-R1-0528", DeepSeekV3, DType.Fp8),
        new("nvidia/DeepSeek-R1-FP4", DeepSeekV3, DType.Fp4),
        new("nvidia/DeepSeek-R1-FP4-v2", DeepSeekV3, DType.Fp4),
        new("nvidia/DeepSeek-R1-0528-FP4", DeepSeekV3, DType.Fp4),
        new("nvidia/DeepSeek-R1-0528-FP4-v2", DeepSeekV3, DType.Fp4),
        new("nvidia/DeepSeek-R1-0528-NVFP4-v2", DeepSeekV3, DType.Fp4),
        new("nvidia/DeepSeek-V3-0324-FP4", DeepSeekV3, DType.Fp4),

        new("nvidia/DeepSeek-V3-0324-NVFP4", DeepSeekV3, DType.Fp4),
        new("nvidia/DeepSeek-V3.1-NVFP4", DeepSeekV3, DType.Fp4),

        // DeepSeek-V3.2 (the release after the experimental one) and V3.2-Speciale, its long-reasoning post-training, keep
        // V3.2-Exp's config.json shapes and FP8 blocks.
        new("deepseek-ai/DeepSeek-V3.2", DeepSeekV32Exp, DType.Fp8),
        new("deepseek-ai/DeepSeek-V3.2-Speciale", DeepSeekV32Exp, DType.Fp8),
        new("nvidia/DeepSeek-V3.2-NVFP4", DeepSeekV32Exp, DType.Fp4),

        // GLM-5's BF16 release, and GLM-5.1, a refresh of GLM-5 with its shapes (744B-A40B, 202,752 positions: vLLM's
        // GLM-5.1 recipe), released in BF16 and in the same block-wise FP8.
        new("zai-org/GLM-5", Glm5Fp8),
        new("zai-org/GLM-5.1", Glm5Fp8),
        new("zai-org/GLM-5.1-FP8", Glm5Fp8, DType.Fp8),

        // GLM-5.2's BF16 release, and GLM-5.3 (September 2026), which keeps GLM-5.2's config.json shapes and IndexShare schedule.
        new("zai-org/GLM-5.2", Glm52Fp8),
        new("zai-org/GLM-5.3", Glm52Fp8),

        // Mistral Large 3's BF16 and NVFP4 releases keep its shapes.
        new("mistralai/Mistral-Large-3-675B-Instruct-2512-BF16", MistralLarge3),
        new("mistralai/Mistral-Large-3-675B-Instruct-2512-NVFP4", MistralLarge3, DType.Fp4),
    ];
}
