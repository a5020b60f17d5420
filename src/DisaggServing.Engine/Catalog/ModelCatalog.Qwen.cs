namespace DisaggServing.Engine.Catalog;

/// <summary>Qwen3 dense and MoE models and the checkpoints that share their geometry.</summary>
public static partial class ModelCatalog
{
    /// <summary>Qwen/Qwen3-32B: 64 layers, 5120 hidden, 64/8 heads of 128, FFN 25600, vocab 151936.</summary>
    public static readonly ModelSpec Qwen3_32B = new("Qwen/Qwen3-32B",
        Layers: 64, Hidden: 5120, Heads: 64, KvHeads: 8, HeadDim: 128, Ffn: 25600, Vocab: 151936, TiedEmbeddings: false,
        MaxContext: 40960, AttentionKind.Gqa, Moe: null, Mla: null, PublishedParams: 32.8e9, PublishedActiveParams: 32.8e9);

    /// <summary>Qwen/Qwen3-235B-A22B: 94 layers, 4096 hidden, 64/4 heads of 128, 128 experts top-8 of width 1536, every layer MoE.</summary>
    public static readonly ModelSpec Qwen3_235B = new("Qwen/Qwen3-235B-A22B",
        Layers: 94, Hidden: 4096, Heads: 64, KvHeads: 4, HeadDim: 128, Ffn: 12288, Vocab: 151936, TiedEmbeddings: false,
        MaxContext: 40960, AttentionKind.Gqa, Moe: new MoeSpec(RoutedExperts: 128, ExpertsPerToken: 8, SharedExperts: 0, ExpertFfn: 1536, DenseLayers: 0),
        Mla: null, PublishedParams: 235e9, PublishedActiveParams: 22e9);

    /// <summary>Qwen/Qwen3-30B-A3B: 48 layers, 2048 hidden, 32/4 heads of 128, 128 experts top-8 of width 768, every layer MoE, vocab 151936.</summary>
    public static readonly ModelSpec Qwen3_30B_A3B = new("Qwen/Qwen3-30B-A3B",
        Layers: 48, Hidden: 2048, Heads: 32, KvHeads: 4, HeadDim: 128, Ffn: 6144, Vocab: 151936, TiedEmbeddings: false,
        MaxContext: 40960, AttentionKind.Gqa, Moe: new MoeSpec(RoutedExperts: 128, ExpertsPerToken: 8, SharedExperts: 0, ExpertFfn: 768, DenseLayers: 0),
        Mla: null, PublishedParams: 30.5e9, PublishedActiveParams: 3.3e9);

    /// <summary>Qwen/Qwen3-8B: 36 layers, 4096 hidden, 32/8 heads of 128, FFN 12288, vocab 151936, untied embeddings.</summary>
    public static readonly ModelSpec Qwen3_8B = new("Qwen/Qwen3-8B",
        Layers: 36, Hidden: 4096, Heads: 32, KvHeads: 8, HeadDim: 128, Ffn: 12288, Vocab: 151936, TiedEmbeddings: false,
        MaxContext: 40960, AttentionKind.Gqa, Moe: null, Mla: null, PublishedParams: 8.2e9, PublishedActiveParams: 8.2e9);

    /// <summary>Qwen/Qwen3-4B: 36 layers, 2560 hidden, 32/8 heads of 128, FFN 9728, vocab 151936, tied embeddings.</summary>
    public static readonly ModelSpec Qwen3_4B = new("Qwen/Qwen3-4B",
        Layers: 36, Hidden: 2560, Heads: 32, KvHeads: 8, HeadDim: 128, Ffn: 9728, Vocab: 151936, TiedEmbeddings: true,
        MaxContext: 40960, AttentionKind.Gqa, Moe: null, Mla: null, PublishedParams: 4.0e9, PublishedActiveParams: 4.0e9);

    /// <summary>Qwen/Qwen3-1.7B: 28 layers, 2048 hidden, 16/8 heads of 128, FFN 6144, vocab 151936, tied embeddings.</summary>
    public static readonly ModelSpec Qwen3_1_7B = new("Qwen/Qwen3-1.7B",
        Layers: 28, Hidden: 2048, Heads: 16, KvHeads: 8, HeadDim: 128, Ffn: 6144, Vocab: 151936, TiedEmbeddings: true,
        MaxContext: 40960, AttentionKind.Gqa, Moe: null, Mla: null, PublishedParams: 1.7e9, PublishedActiveParams: 1.7e9);

    /// <summary>Qwen/Qwen3-0.6B: 28 layers, 1024 hidden, 16/8 heads of 128, FFN 3072, vocab 151936, tied embeddings.</summary>
    public static readonly ModelSpec Qwen3_0_6B = new("Qwen/Qwen3-0.6B",
        Layers: 28, Hidden: 1024, Heads: 16, KvHeads: 8, HeadDim: 128, Ffn: 3072, Vocab: 151936, TiedEmbeddings: true,
        MaxContext: 40960, AttentionKind.Gqa, Moe: null, Mla: null, PublishedParams: 0.6e9, PublishedActiveParams: 0.6e9);

    /// <summary>Qwen/Qwen3-14B: 40 layers, 5120 hidden, 40/8 heads of 128, FFN 17408, vocab 151936.</summary>
    public static readonly ModelSpec Qwen3_14B = new("Qwen/Qwen3-14B",
        Layers: 40, Hidden: 5120, Heads: 40, KvHeads: 8, HeadDim: 128, Ffn: 17408, Vocab: 151936, TiedEmbeddings: false,
        MaxContext: 40960, AttentionKind.Gqa, Moe: null, Mla: null, PublishedParams: 14.8e9, PublishedActiveParams: 14.8e9);

    /// <summary>
    /// Qwen/Qwen3-Coder-480B-A35B-Instruct: 62 layers, 6144 hidden, 96/8 heads of 128, 160 experts top-8 of width 2560,
    /// every layer MoE, vocab 151936, 262,144-token context; 480B total, 35B activated (model card).
    /// </summary>
    public static readonly ModelSpec Qwen3Coder480B = new("Qwen/Qwen3-Coder-480B-A35B-Instruct",
        Layers: 62, Hidden: 6144, Heads: 96, KvHeads: 8, HeadDim: 128, Ffn: 8192, Vocab: 151936, TiedEmbeddings: false,
        MaxContext: 262144, AttentionKind.Gqa, Moe: new MoeSpec(RoutedExperts: 160, ExpertsPerToken: 8, SharedExperts: 0, ExpertFfn: 2560, DenseLayers: 0),
        Mla: null, PublishedParams: 480e9, PublishedActiveParams: 35e9);

    private static readonly ModelSpec[] QwenModels = [Qwen3_32B, Qwen3_235B, Qwen3_30B_A3B, Qwen3_8B, Qwen3_14B, Qwen3_4B, Qwen3_1_7B, Qwen3_0_6B, Qwen3Coder480B];

    // The 2507 Instruct and Thinking releases keep the shapes and raise max_position_embeddings to 262,144. Qwen's own
    // -FP8 checkpoints are block-wise FP8; NVIDIA's ModelOpt -FP8/-FP4 ones per-tensor FP8 and NVFP4.
    private static readonly ModelAlias[] QwenAliases =
    [
        new("Qwen/Qwen3-32B-FP8", Qwen3_32B, DType.Fp8),
        new("Qwen/Qwen3-8B-FP8", Qwen3_8B, DType.Fp8),
        new("Qwen/Qwen3-14B-FP8", Qwen3_14B, DType.Fp8),
        new("Qwen/Qwen3-4B-FP8", Qwen3_4B, DType.Fp8),
        // Qwen's own AWQ (INT4, groups of 128) releases of the dense models.
        new("Qwen/Qwen3-32B-AWQ", Qwen3_32B, DType.Int4),
        new("Qwen/Qwen3-14B-AWQ", Qwen3_14B, DType.Int4),
        new("Qwen/Qwen3-8B-AWQ", Qwen3_8B, DType.Int4),
        new("Qwen/Qwen3-4B-AWQ", Qwen3_4B, DType.Int4),
        new("Qwen/Qwen3-4B-Instruct-2507", Qwen3_4B, MaxContext: 262144),
        new("Qwen/Qwen3-4B-Instruct-2507-FP8", Qwen3_4B, DType.Fp8, 262144),
        new("Qwen/Qwen3-4B-Thinking-2507", Qwen3_4B, MaxContext: 262144),
        new("Qwen/Qwen3-1.7B-FP8", Qwen3_1_7B, DType.Fp8),
        new("Qwen/Qwen3-0.6B-FP8", Qwen3_0_6B, DType.Fp8),
        new("nvidia/Qwen3-32B-FP4", Qwen3_32B, DType.Fp4),

        new("Qwen/Qwen3-235B-A22B-FP8", Qwen3_235B, DType.Fp8),
        new("Qwen/Qwen3-235B-A22B-Instruct-2507", Qwen3_235B, MaxContext: 262144),
        new("Qwen/Qwen3-235B-A22B-Instruct-2507-FP8", Qwen3_235B, DType.Fp8, 262144),
        new("Qwen/Qwen3-235B-A22B-Thinking-2507", Qwen3_235B, MaxContext: 262144),
        new("Qwen/Qwen3-235B-A22B-Thinking-2507-FP8", Qwen3_235B, DType.Fp8, 262144),
        new("nvidia/Qwen3-235B-A22B-FP8", Qwen3_235B, DType.Fp8),
        new("nvidia/Qwen3-235B-A22B-FP4", Qwen3_235B, DType.Fp4),

        new("Qwen/Qwen3-30B-A3B-FP8", Qwen3_30B_A3B, DType.Fp8),
        new("Qwen/Qwen3-30B-A3B-Instruct-2507", Qwen3_30B_A3B, MaxContext: 262144),
        new("Qwen/Qwen3-30B-A3B-Instruct-2507-FP8", Qwen3_30B_A3B, DType.Fp8, 262144),
        new("nvidia/Qwen3-30B-A3B-FP4", Qwen3_30B_A3B, DType.Fp4),
        // Qwen3-Coder-30B-A3B: Qwen3-30B-A3B's qwen3_moe shapes at the 2507 releases' 262,144 positions.
        new("Qwen/Qwen3-Coder-30B-A3B-Instruct", Qwen3_30B_A3B, MaxContext: 262144),
        new("Qwen/Qwen3-Coder-30B-A3B-Instruct-FP8", Qwen3_30B_A3B, DType.Fp8, 262144),

        new("Qwen/Qwen3-Coder-480B-A35B-Instruct-FP8", Qwen3Coder480B, DType.Fp8),

        // Qwen3-VL: the Qwen3 text stacks (text_config's shapes are Qwen3's, at 262,144 positions) behind a vision tower
        // that text steps do not run; SGLang sizes its memory by it (VisionEncoderSpec).
        .. VisionLanguage("Qwen/Qwen3-VL-235B-A22B", Qwen3_235B, VisionEncoderSpec.So400m),
        .. VisionLanguage("Qwen/Qwen3-VL-30B-A3B", Qwen3_30B_A3B, VisionEncoderSpec.So400m),
        .. VisionLanguage("Qwen/Qwen3-VL-32B", Qwen3_32B, VisionEncoderSpec.So400m),
        .. VisionLanguage("Qwen/Qwen3-VL-8B", Qwen3_8B, VisionEncoderSpec.So400m),
        .. VisionLanguage("Qwen/Qwen3-VL-4B", Qwen3_4B, new VisionEncoderSpec(24, 1024)),
    ];

    // A Qwen3-VL size's Instruct and Thinking releases and Qwen's block-FP8 ones of each.
    private static ModelAlias[] VisionLanguage(string stem, ModelSpec text, VisionEncoderSpec vision)
    {
        var model = text with { Vision = vision };
        return
        [
            new($"{stem}-Instruct", model, MaxContext: 262144),
            new($"{stem}-Thinking", model, MaxContext: 262144),
            new($"{stem}-Instruct-FP8", model, DType.Fp8, 262144),
            new($"{stem}-Thinking-FP8", model, DType.Fp8, 262144),
        ];
    }
}
