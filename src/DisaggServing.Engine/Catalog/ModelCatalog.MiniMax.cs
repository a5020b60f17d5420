namespace DisaggServing.Engine.Catalog;

/// <summary>MiniMax-M2 (minimax_m2): a full-attention GQA MoE, unlike MiniMax-M1's lightning (linear) attention.</summary>
public static partial class ModelCatalog
{
    /// <summary>
    /// MiniMaxAI/MiniMax-M2: 62 layers, 3072 hidden, 48/8 heads of 128, 256 experts top-8 of width 1536 (intermediate_size),
    /// no shared expert, every layer MoE, vocab 200064, 196,608-token context, block-wise FP8 weights (128 × 128). The MTP
    /// modules (num_mtp_modules 3, used only for speculative decoding) are left out. The card's 230B total and 10B
    /// activated leave out the embeddings from the active count. Its q/k RMSNorm spans all heads (QkNormAcrossHeads).
    /// </summary>
    public static readonly ModelSpec MiniMaxM2 = new("MiniMaxAI/MiniMax-M2",
        Layers: 62, Hidden: 3072, Heads: 48, KvHeads: 8, HeadDim: 128, Ffn: 1536, Vocab: 200064, TiedEmbeddings: false,
        MaxContext: 196608, AttentionKind.Gqa, Moe: new MoeSpec(RoutedExperts: 256, ExpertsPerToken: 8, SharedExperts: 0, ExpertFfn: 1536, DenseLayers: 0) { BiasedSigmoidRouting = true, Fp32RouterLogits = true },
        Mla: null, PublishedParams: 230e9, PublishedActiveParams: 10e9) { CheckpointDtype = DType.Fp8, BlockScaledFp8 = true, QkNormAcrossHeads = true, MtpLayers = 3 };

    private static readonly ModelSpec[] MiniMaxModels = [MiniMaxM2];

    // MiniMax-M2.5 is a post-training of M2 with M2's config.json shapes and 128 × 128 FP8 blocks: vLLM's recipe
    // (vllm-project/recipes MiniMax/MiniMax-M2.md) serves M2, M2.1 and M2.5 alike ("only update the model name"), and
    // SGLang's MiniMax page M2.7 with them; NVIDIA's ModelOpt export of M2.7 is NVFP4.
    private static readonly ModelAlias[] MiniMaxAliases =
    [
        new("MiniMaxAI/MiniMax-M2.1", MiniMaxM2, DType.Fp8),
        new("MiniMaxAI/MiniMax-M2.5", MiniMaxM2, DType.Fp8),
        new("MiniMaxAI/MiniMax-M2.7", MiniMaxM2, DType.Fp8),
        new("nvidia/MiniMax-M2.7-NVFP4", MiniMaxM2, DType.Fp4),
    ];
}
