namespace DisaggServing.Engine.Catalog;

/// <summary>
/// DeepSeek-V4 (deepseek_v4, April 2026): MoE models whose every layer attends to a 128-token window of one shared
/// 512-wide key/value vector, most also to a compressed cache of the context (<see cref="CompressedAttentionSpec"/>), with
/// four residual streams (manifold-constrained hyper-connections). Every layer has experts (the first three route by
/// token id, which changes only the router; the others score by sqrt-softplus plus a per-expert bias, noaux_tc); the
/// release ships the routed experts in MXFP4 (FP4 with a UE8M0 scale per 32) and attention and the shared expert in
/// block-wise FP8. vLLM's recipes serve it with <c>--trust-remote-code</c> (<see cref="ModelSpec.RemoteCode"/>).
/// </summary>
public static partial class ModelCatalog
{
    /// <summary>
    /// deepseek-ai/DeepSeek-V4-Flash: 43 layers (2 window-only, 21 compressed-sparse of ratio 4 with a 64 × 128 indexer
    /// picking 512 entries, 20 heavily compressed of ratio 128), 4096 hidden, 64 query heads of 512 over one shared
    /// key/value head, q_lora 1024, 8 output groups of rank 1024, 256 routed experts top-6 + 1 shared of width 2048, vocab
    /// 129280, 1,048,576 positions. 284B (the card's count, without the MTP layer), 13B active.
    /// </summary>
    public static readonly ModelSpec DeepSeekV4Flash = new("deepseek-ai/DeepSeek-V4-Flash",
        Layers: 43, Hidden: 4096, Heads: 64, KvHeads: 1, HeadDim: 512, Ffn: 2048, Vocab: 129280, TiedEmbeddings: false,
        MaxContext: 1048576, AttentionKind.Mla, Moe: new MoeSpec(256, 6, 1, 2048, DenseLayers: 0) { BiasedSigmoidRouting = true }, Mla: null,
        PublishedParams: 284e9, PublishedActiveParams: 13e9)
    {
        CheckpointDtype = DType.Mxfp4, NonExpertCheckpointDtype = DType.Fp8, BlockScaledFp8 = true, MtpLayers = 1, AttentionSinks = true, RemoteCode = true,
        Compressed = new CompressedAttentionSpec(HeadDim: 512, RopeDim: 64, QLoraRank: 1024, OutputGroups: 8, OutputLoraRank: 1024,
            WindowTokens: 128, SparseLayers: 21, SparseRatio: 4, IndexerHeads: 64, IndexerHeadDim: 128, TopK: 512,
            DenseLayers: 20, DenseRatio: 128, ResidualStreams: 4),
    };

    /// <summary>
    /// deepseek-ai/DeepSeek-V4-Pro: 61 layers (30 compressed-sparse with top-1024, 31 heavily compressed, none window-only),
    /// 7168 hidden, 128 query heads of 512, q_lora 1536, 16 output groups of rank 1024, 384 routed experts top-6 + 1 shared
    /// of width 3072, vocab 129280. The card's 1.6T counts the MTP layer (1.57T without it), 49B active.
    /// </summary>
    public static readonly ModelSpec DeepSeekV4Pro = new("deepseek-ai/DeepSeek-V4-Pro",
        Layers: 61, Hidden: 7168, Heads: 128, KvHeads: 1, HeadDim: 512, Ffn: 3072, Vocab: 129280, TiedEmbeddings: false,
        MaxContext: 1048576, AttentionKind.Mla, Moe: new MoeSpec(384, 6, 1, 3072, DenseLayers: 0) { BiasedSigmoidRouting = true }, Mla: null,
        PublishedParams: 1.6e12, PublishedActiveParams: 49e9)
    {
        CheckpointDtype = DType.Mxfp4, NonExpertCheckpointDtype = DType.Fp8, BlockScaledFp8 = true, MtpLayers = 1, AttentionSinks = true, RemoteCode = true,
        Compressed = new CompressedAttentionSpec(HeadDim: 512, RopeDim: 64, QLoraRank: 1536, OutputGroups: 16, OutputLoraRank: 1024,
            WindowTokens: 128, SparseLayers: 30, SparseRatio: 4, IndexerHeads: 64, IndexerHeadDim: 128, TopK: 1024,
            DenseLayers: 31, DenseRatio: 128, ResidualStreams: 4),
    };

    private static readonly ModelSpec[] DeepSeekV4Models = [DeepSeekV4Flash, DeepSeekV4Pro];

    // The Base checkpoints (for further pre-training) share the shapes in block FP8 throughout, as SGLang's FP8 conversions
    // for Hopper (sgl-project/DeepSeek-V4-*-FP8) do; NVIDIA's NVFP4 exports quantize the experts to NVFP4. Flash's July
    // release (-0731) keeps its config.json shapes and adds a DSpark drafter beside them.
    private static readonly ModelAlias[] DeepSeekV4Aliases =
    [
        new("deepseek-ai/DeepSeek-V4-Flash-Base", DeepSeekV4Flash, DType.Fp8),
        new("deepseek-ai/DeepSeek-V4-Pro-Base", DeepSeekV4Pro, DType.Fp8),
        new("deepseek-ai/DeepSeek-V4-Flash-0731", DeepSeekV4Flash, DType.Mxfp4),
        new("sgl-project/DeepSeek-V4-Flash-FP8", DeepSeekV4Flash, DType.Fp8),
        new("sgl-project/DeepSeek-V4-Pro-FP8", DeepSeekV4Pro, DType.Fp8),
        new("nvidia/DeepSeek-V4-Flash-NVFP4", DeepSeekV4Flash, DType.Fp4),
        new("nvidia/DeepSeek-V4-Pro-NVFP4", DeepSeekV4Pro, DType.Fp4),
    ];
}
