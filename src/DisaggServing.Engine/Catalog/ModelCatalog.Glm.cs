namespace DisaggServing.Engine.Catalog;

/// <summary>
/// GLM-4.5-family MoE models (glm4_moe: GQA attention, leading dense layers, one shared expert), and GLM-4.7-Flash
/// (glm4_moe_lite: the same router and shared expert behind DeepSeek-V2-style latent attention).
/// </summary>
public static partial class ModelCatalog
{
    /// <summary>
    /// zai-org/GLM-4.5: 92 layers (first 3 dense, FFN 12288), 5120 hidden, 96/8 heads of 128, 160 routed experts top-8
    /// + 1 shared of width 1536, vocab 151552, 131,072-token context. The MTP layer (num_nextn_predict_layers, used only
    /// for speculative decoding) is left out. Z.ai's 32B active count leaves out the embeddings.
    /// </summary>
    public static readonly ModelSpec Glm45 = new("zai-org/GLM-4.5",
        Layers: 92, Hidden: 5120, Heads: 96, KvHeads: 8, HeadDim: 128, Ffn: 12288, Vocab: 151552, TiedEmbeddings: false,
        MaxContext: 131072, AttentionKind.Gqa, Moe: new MoeSpec(RoutedExperts: 160, ExpertsPerToken: 8, SharedExperts: 1, ExpertFfn: 1536, DenseLayers: 3) { BiasedSigmoidRouting = true },
        Mla: null, PublishedParams: 355e9, PublishedActiveParams: 32e9) { MtpLayers = 1 };

    /// <summary>
    /// zai-org/GLM-4.5-Air: 46 layers (first 1 dense, FFN 10944), 4096 hidden, 96/8 heads of 128, 128 routed experts
    /// top-8 + 1 shared of width 1408, vocab 151552, 131,072-token context.
    /// </summary>
    public static readonly ModelSpec Glm45Air = new("zai-org/GLM-4.5-Air",
        Layers: 46, Hidden: 4096, Heads: 96, KvHeads: 8, HeadDim: 128, Ffn: 10944, Vocab: 151552, TiedEmbeddings: false,
        MaxContext: 131072, AttentionKind.Gqa, Moe: new MoeSpec(RoutedExperts: 128, ExpertsPerToken: 8, SharedExperts: 1, ExpertFfn: 1408, DenseLayers: 1) { BiasedSigmoidRouting = true },
        Mla: null, PublishedParams: 106e9, PublishedActiveParams: 12e9) { MtpLayers = 1 };

    /// <summary>
    /// zai-org/GLM-4.7-Flash (glm4_moe_lite): 47 layers (first dense, FFN 10240), 2048 hidden, 20 heads of MLA (q_lora 768,
    /// kv_lora 512, nope 192, rope 64, v 256: a 576-element latent a token and layer, as DeepSeek's), 64 routed experts top-4
    /// + 1 shared of width 1536 (sigmoid scores with a correction bias, one group), vocab 154880, 202,752 positions, one
    /// MTP layer. The card calls it 30B-A3B; its active count leaves out the embeddings.
    /// </summary>
    public static readonly ModelSpec Glm47Flash = new("zai-org/GLM-4.7-Flash",
        Layers: 47, Hidden: 2048, Heads: 20, KvHeads: 20, HeadDim: 256, Ffn: 10240, Vocab: 154880, TiedEmbeddings: false,
        MaxContext: 202752, AttentionKind.Mla, Moe: new MoeSpec(RoutedExperts: 64, ExpertsPerToken: 4, SharedExperts: 1, ExpertFfn: 1536, DenseLayers: 1) { BiasedSigmoidRouting = true },
        Mla: new MlaSpec(QLoraRank: 768, KvLoraRank: 512, QkNopeHeadDim: 192, QkRopeHeadDim: 64, VHeadDim: 256),
        PublishedParams: 30e9, PublishedActiveParams: 3e9) { MtpLayers = 1 };

    private static readonly ModelSpec[] GlmModels = [Glm45, Glm45Air, Glm47Flash];

    // GLM-4.6 is a post-training of GLM-4.5 with the same shapes and max_position_embeddings raised to 202,752, and so is
    // GLM-4.7 (glm4_moe, 355B-A32B: vLLM's GLM-4.X recipe serves 4.5, 4.6 and 4.7 alike). Z.ai's -FP8 releases are
    // compressed-tensors checkpoints with per-channel FP8 weights (not DeepSeek's 128 × 128 blocks) and no KV-cache scheme.
    private static readonly ModelAlias[] GlmAliases =
    [
        new("zai-org/GLM-4.5-FP8", Glm45, DType.Fp8),
        new("zai-org/GLM-4.6", Glm45, MaxContext: 202752),
        new("zai-org/GLM-4.6-FP8", Glm45, DType.Fp8, 202752),
        new("zai-org/GLM-4.7", Glm45, MaxContext: 202752),
        new("zai-org/GLM-4.7-FP8", Glm45, DType.Fp8, 202752),
        new("zai-org/GLM-4.5-Air-FP8", Glm45Air, DType.Fp8),
    ];
}
