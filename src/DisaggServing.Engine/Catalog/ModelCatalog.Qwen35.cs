namespace DisaggServing.Engine.Catalog;

/// <summary>
/// Qwen3.5 and Qwen3.6 (Hugging Face model_type <c>qwen3_5_moe</c> and <c>qwen3_5</c>, the language model's geometry
/// nested under <c>text_config</c>): Qwen3-Next's hybrid stack, three Gated DeltaNet layers to one of gated full
/// attention (full_attention_interval 4), with experts in every layer of the MoE models and a SwiGLU MLP in the dense
/// ones; vocab 248320. Their configs ask for an FP32 recurrent state (<c>mamba_ssm_dtype</c>), which vLLM
/// (Qwen3_5ForConditionalGenerationConfig) and SGLang both keep. The vision tower (about 0.4B parameters, 27 layers of
/// 1,152: <see cref="ModelSpec.Vision"/>) and the multi-token-prediction layer, which serves only speculative decoding,
/// are not counted.
/// </summary>
public static partial class ModelCatalog
{
    /// <summary>
    /// Qwen/Qwen3.5-397B-A17B: 60 layers of 4096 hidden, 15 × (3 × Gated DeltaNet → MoE, 1 × gated attention → MoE);
    /// attention 32/2 heads of 256; Gated DeltaNet 16 query/key heads and 64 value heads of 128, kernel 4; 512 experts
    /// top-10 of width 1024 plus one shared expert of 1024; untied; 262,144 positions.
    /// </summary>
    public static readonly ModelSpec Qwen35_397B = Qwen35("Qwen/Qwen3.5-397B-A17B", layers: 60, hidden: 4096, heads: 32, kvHeads: 2,
        linearValueHeads: 64, ffn: 1024, published: 397e9, active: 17e9,
        moe: new MoeSpec(RoutedExperts: 512, ExpertsPerToken: 10, SharedExperts: 1, ExpertFfn: 1024, DenseLayers: 0));

    /// <summary>
    /// Qwen/Qwen3.5-122B-A10B: 48 layers of 3072 hidden; attention 32/2 heads of 256; Gated DeltaNet 16 query/key and 64
    /// value heads of 128; 256 experts top-8 of width 1024 plus one shared expert of 1024; untied.
    /// </summary>
    public static readonly ModelSpec Qwen35_122B = Qwen35("Qwen/Qwen3.5-122B-A10B", layers: 48, hidden: 3072, heads: 32, kvHeads: 2,
        linearValueHeads: 64, ffn: 1024, published: 122e9, active: 10e9,
        moe: new MoeSpec(RoutedExperts: 256, ExpertsPerToken: 8, SharedExperts: 1, ExpertFfn: 1024, DenseLayers: 0));

    /// <summary>
    /// Qwen/Qwen3.5-35B-A3B: 40 layers of 2048 hidden; attention 16/2 heads of 256; Gated DeltaNet 16 query/key and 32
    /// value heads of 128; 256 experts top-8 of width 512 plus one shared expert of 512; untied. Qwen3.6-35B-A3B has the
    /// same config.json shapes.
    /// </summary>
    public static readonly ModelSpec Qwen35_35B = Qwen35("Qwen/Qwen3.5-35B-A3B", layers: 40, hidden: 2048, heads: 16, kvHeads: 2,
        linearValueHeads: 32, ffn: 512, published: 35e9, active: 3e9,
        moe: new MoeSpec(RoutedExperts: 256, ExpertsPerToken: 8, SharedExperts: 1, ExpertFfn: 512, DenseLayers: 0));

    /// <summary>
    /// Qwen/Qwen3.5-27B (dense): 64 layers of 5120 hidden; attention 24/4 heads of 256; Gated DeltaNet 16 query/key and 48
    /// value heads of 128; SwiGLU MLP of 17408; untied. Qwen3.6-27B and Qwen3.8-27B have the same shapes.
    /// </summary>
    public static readonly ModelSpec Qwen35_27B = Qwen35("Qwen/Qwen3.5-27B", layers: 64, hidden: 5120, heads: 24, kvHeads: 4,
        linearValueHeads: 48, ffn: 17408, published: 27e9, active: 27e9, moe: null);

    /// <summary>Qwen/Qwen3.5-9B (dense): 32 layers of 4096 hidden; attention 16/4 heads of 256; Gated DeltaNet 16/32 heads of 128; MLP of 12288; untied.</summary>
    public static readonly ModelSpec Qwen35_9B = Qwen35("Qwen/Qwen3.5-9B", layers: 32, hidden: 4096, heads: 16, kvHeads: 4,
        linearValueHeads: 32, ffn: 12288, published: 9e9, active: 9e9, moe: null);

    /// <summary>Qwen/Qwen3.5-4B (dense): 32 layers of 2560 hidden; attention 16/4 heads of 256; Gated DeltaNet 16/32 heads of 128; MLP of 9216; tied embeddings.</summary>
    public static readonly ModelSpec Qwen35_4B = Qwen35("Qwen/Qwen3.5-4B", layers: 32, hidden: 2560, heads: 16, kvHeads: 4,
        linearValueHeads: 32, ffn: 9216, published: 4e9, active: 4e9, moe: null, tied: true);

    private static readonly ModelSpec[] Qwen35Models = [Qwen35_397B, Qwen35_122B, Qwen35_35B, Qwen35_27B, Qwen35_9B, Qwen35_4B];

    // Base checkpoints, Qwen3.6 and Qwen3.8-27B keep the shapes; Qwen's -FP8 releases are block-scaled FP8 (128 × 128), NVIDIA's
    // ModelOpt ones NVFP4.
    private static readonly ModelAlias[] Qwen35Aliases =
    [
        new("Qwen/Qwen3.5-397B-A17B-FP8", Qwen35_397B, DType.Fp8),
        new("nvidia/Qwen3.5-397B-A17B-NVFP4", Qwen35_397B, DType.Fp4),
        new("Qwen/Qwen3.5-122B-A10B-FP8", Qwen35_122B, DType.Fp8),
        new("Qwen/Qwen3.5-35B-A3B-Base", Qwen35_35B),
        new("Qwen/Qwen3.5-35B-A3B-FP8", Qwen35_35B, DType.Fp8),
        new("Qwen/Qwen3.6-35B-A3B", Qwen35_35B),
        new("Qwen/Qwen3.6-35B-A3B-FP8", Qwen35_35B, DType.Fp8),
        new("Qwen/Qwen3.5-27B-FP8", Qwen35_27B, DType.Fp8),
        new("Qwen/Qwen3.6-27B", Qwen35_27B),
        new("Qwen/Qwen3.6-27B-FP8", Qwen35_27B, DType.Fp8),
        new("Qwen/Qwen3.8-27B", Qwen35_27B),
        new("Qwen/Qwen3.8-27B-FP8", Qwen35_27B, DType.Fp8),
        new("Qwen/Qwen3.5-9B-Base", Qwen35_9B),
        new("Qwen/Qwen3.5-4B-Base", Qwen35_4B),
    ];

    // Every Qwen3.5 shape: attention heads of 256 with an output gate, 16 Gated DeltaNet query/key heads of 128 and value
    // heads of 128, kernel 4, three linear layers to one of attention, an FP32 recurrent state, 262,144 positions.
    private static ModelSpec Qwen35(string id, int layers, int hidden, int heads, int kvHeads, int linearValueHeads, int ffn,
        double published, double active, MoeSpec? moe, bool tied = false) =>
        new(id, layers, hidden, heads, kvHeads, HeadDim: 256, ffn, Vocab: 248320, TiedEmbeddings: tied, MaxContext: 262144,
            AttentionKind.Gqa, moe, Mla: null, PublishedParams: published, PublishedActiveParams: active)
        {
            Linear = new LinearAttentionSpec(Layers: layers * 3 / 4, KeyHeads: 16, ValueHeads: linearValueHeads, KeyHeadDim: 128,
                ValueHeadDim: 128, ConvKernel: 4, StateBytes: 4),
            AttentionOutputGate = true,
            OffsetNorm = true,
            MtpLayers = 1,
            Vision = VisionEncoderSpec.So400m,
        };
}
