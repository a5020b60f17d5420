namespace DisaggServing.Engine.Catalog;

/// <summary>Qwen2.5 dense models (and DeepSeek's R1 distillations into them and the Qwen2.5-VL language models, which keep their shapes).</summary>
public static partial class ModelCatalog
{
    /// <summary>Qwen/Qwen2.5-0.5B-Instruct: 24 layers, 896 hidden, 14/2 heads of 64, FFN 4864, vocab 151936, tied embeddings, 32,768-token context.</summary>
    public static readonly ModelSpec Qwen25_0_5B = new("Qwen/Qwen2.5-0.5B-Instruct",
        Layers: 24, Hidden: 896, Heads: 14, KvHeads: 2, HeadDim: 64, Ffn: 4864, Vocab: 151936, TiedEmbeddings: true,
        MaxContext: 32768, AttentionKind.Gqa, Moe: null, Mla: null, PublishedParams: 0.49e9, PublishedActiveParams: 0.49e9);

    /// <summary>Qwen/Qwen2.5-1.5B-Instruct: 28 layers, 1536 hidden, 12/2 heads of 128, FFN 8960, vocab 151936, tied embeddings.</summary>
    public static readonly ModelSpec Qwen25_1_5B = new("Qwen/Qwen2.5-1.5B-Instruct",
        Layers: 28, Hidden: 1536, Heads: 12, KvHeads: 2, HeadDim: 128, Ffn: 8960, Vocab: 151936, TiedEmbeddings: true,
        MaxContext: 32768, AttentionKind.Gqa, Moe: null, Mla: null, PublishedParams: 1.54e9, PublishedActiveParams: 1.54e9);

    /// <summary>Qwen/Qwen2.5-3B-Instruct: 36 layers, 2048 hidden, 16/2 heads of 128, FFN 11008, vocab 151936, tied embeddings.</summary>
    public static readonly ModelSpec Qwen25_3B = new("Qwen/Qwen2.5-3B-Instruct",
        Layers: 36, Hidden: 2048, Heads: 16, KvHeads: 2, HeadDim: 128, Ffn: 11008, Vocab: 151936, TiedEmbeddings: true,
        MaxContext: 32768, AttentionKind.Gqa, Moe: null, Mla: null, PublishedParams: 3.09e9, PublishedActiveParams: 3.09e9);

    /// <summary>Qwen/Qwen2.5-7B-Instruct: 28 layers, 3584 hidden, 28/4 heads of 128, FFN 18944, vocab 152064, 32,768-token context.</summary>
    public static readonly ModelSpec Qwen25_7B = new("Qwen/Qwen2.5-7B-Instruct",
        Layers: 28, Hidden: 3584, Heads: 28, KvHeads: 4, HeadDim: 128, Ffn: 18944, Vocab: 152064, TiedEmbeddings: false,
        MaxContext: 32768, AttentionKind.Gqa, Moe: null, Mla: null, PublishedParams: 7.61e9, PublishedActiveParams: 7.61e9);

    /// <summary>Qwen/Qwen2.5-14B-Instruct: 48 layers, 5120 hidden, 40/8 heads of 128, FFN 13824, vocab 152064.</summary>
    public static readonly ModelSpec Qwen25_14B = new("Qwen/Qwen2.5-14B-Instruct",
        Layers: 48, Hidden: 5120, Heads: 40, KvHeads: 8, HeadDim: 128, Ffn: 13824, Vocab: 152064, TiedEmbeddings: false,
        MaxContext: 32768, AttentionKind.Gqa, Moe: null, Mla: null, PublishedParams: 14.7e9, PublishedActiveParams: 14.7e9);

    /// <summary>Qwen/Qwen2.5-32B-Instruct: 64 layers, 5120 hidden, 40/8 heads of 128, FFN 27648, vocab 152064.</summary>
    public static readonly ModelSpec Qwen25_32B = new("Qwen/Qwen2.5-32B-Instruct",
        Layers: 64, Hidden: 5120, Heads: 40, KvHeads: 8, HeadDim: 128, Ffn: 27648, Vocab: 152064, TiedEmbeddings: false,
        MaxContext: 32768, AttentionKind.Gqa, Moe: null, Mla: null, PublishedParams: 32.5e9, PublishedActiveParams: 32.5e9);

    /// <summary>Qwen/Qwen2.5-72B-Instruct: 80 layers, 8192 hidden, 64/8 heads of 128, FFN 29568, vocab 152064.</summary>
    public static readonly ModelSpec Qwen25_72B = new("Qwen/Qwen2.5-72B-Instruct",
        Layers: 80, Hidden: 8192, Heads: 64, KvHeads: 8, HeadDim: 128, Ffn: 29568, Vocab: 152064, TiedEmbeddings: false,
        MaxContext: 32768, AttentionKind.Gqa, Moe: null, Mla: null, PublishedParams: 72.7e9, PublishedActiveParams: 72.7e9);

    /// <summary>
    /// deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B (a fine-tune of Qwen2.5-Math-1.5B): 28 layers, 1536 hidden, 12/2 heads of
    /// 128, FFN 8960, vocab 151936, untied embeddings, 131,072-token context. The card names it by its base's 1.5B;
    /// Hugging Face counts 1.78B in the checkpoint, the untied LM head included.
    /// </summary>
    public static readonly ModelSpec R1DistillQwen1_5B = new("deepseek-ai/DeepSeek-R1-Distill-Qwen-1.5B",
        Layers: 28, Hidden: 1536, Heads: 12, KvHeads: 2, HeadDim: 128, Ffn: 8960, Vocab: 151936, TiedEmbeddings: false,
        MaxContext: 131072, AttentionKind.Gqa, Moe: null, Mla: null, PublishedParams: 1.78e9, PublishedActiveParams: 1.78e9);

    private static readonly ModelSpec[] Qwen25Models = [Qwen25_0_5B, Qwen25_1_5B, Qwen25_3B, Qwen25_7B, Qwen25_14B, Qwen25_32B, Qwen25_72B, R1DistillQwen1_5B];

    // The QKV biases Qwen2.5 adds are left out like norms (under 0.1%). The base checkpoints keep the shapes with a
    // 131,072-token max_position_embeddings; DeepSeek-R1-Distill-Qwen-32B is a fine-tune of Qwen2.5-32B (vocab 152064,
    // 131,072 positions), the 14B one of Qwen2.5-14B and the 7B one of Qwen2.5-Math-7B (Qwen2.5-7B's shapes). QwQ-32B
    // and Qwen2.5-Coder (0.5B to 32B) keep the shapes and vocabulary of the Qwen2.5 of their size (QwQ with 40,960
    // positions). Red Hat's -FP8-dynamic releases are per-channel FP8.
    // Qwen2.5-VL's vision tower (vision_config depth 32, hidden_size 1280, window attention in all but four of its layers),
    // the same at every size.
    private static readonly VisionEncoderSpec Qwen25VisionTower = new(32, 1280);

    private static readonly ModelAlias[] Qwen25Aliases =
    [
        new("Qwen/Qwen2.5-0.5B", Qwen25_0_5B),
        new("Qwen/Qwen2.5-1.5B", Qwen25_1_5B),
        new("Qwen/Qwen2.5-3B", Qwen25_3B),
        new("Qwen/Qwen2.5-7B", Qwen25_7B, MaxContext: 131072),
        new("Qwen/Qwen2.5-14B", Qwen25_14B, MaxContext: 131072),
        new("Qwen/Qwen2.5-32B", Qwen25_32B, MaxContext: 131072),
        new("Qwen/Qwen2.5-72B", Qwen25_72B, MaxContext: 131072),
        new("deepseek-ai/DeepSeek-R1-Distill-Qwen-32B", Qwen25_32B, MaxContext: 131072),
        new("deepseek-ai/DeepSeek-R1-Distill-Qwen-14B", Qwen25_14B, MaxContext: 131072),
        new("deepseek-ai/DeepSeek-R1-Distill-Qwen-7B", Qwen25_7B, MaxContext: 131072),
        new("RedHatAI/DeepSeek-R1-Distill-Qwen-32B-FP8-dynamic", Qwen25_32B, DType.Fp8, 131072),
        new("RedHatAI/DeepSeek-R1-Distill-Qwen-14B-FP8-dynamic", Qwen25_14B, DType.Fp8, 131072),
        new("RedHatAI/DeepSeek-R1-Distill-Qwen-7B-FP8-dynamic", Qwen25_7B, DType.Fp8, 131072),
        new("RedHatAI/DeepSeek-R1-Distill-Qwen-1.5B-FP8-dynamic", R1DistillQwen1_5B, DType.Fp8),
        // Integer checkpoints: Red Hat AI's (formerly Neural Magic's) W8A8 and W4A16 releases, Qwen's own AWQ and GPTQ INT4.
        new("RedHatAI/DeepSeek-R1-Distill-Qwen-32B-quantized.w8a8", Qwen25_32B, DType.Int8, 131072),
        new("neuralmagic/DeepSeek-R1-Distill-Qwen-32B-quantized.w8a8", Qwen25_32B, DType.Int8, 131072),
        new("RedHatAI/DeepSeek-R1-Distill-Qwen-32B-quantized.w4a16", Qwen25_32B, DType.Int4, 131072),
        new("neuralmagic/DeepSeek-R1-Distill-Qwen-32B-quantized.w4a16", Qwen25_32B, DType.Int4, 131072),
        new("RedHatAI/DeepSeek-R1-Distill-Qwen-14B-quantized.w8a8", Qwen25_14B, DType.Int8, 131072),
        new("neuralmagic/DeepSeek-R1-Distill-Qwen-14B-quantized.w8a8", Qwen25_14B, DType.Int8, 131072),
        new("RedHatAI/DeepSeek-R1-Distill-Qwen-14B-quantized.w4a16", Qwen25_14B, DType.Int4, 131072),
        new("neuralmagic/DeepSeek-R1-Distill-Qwen-14B-quantized.w4a16", Qwen25_14B, DType.Int4, 131072),
        new("RedHatAI/DeepSeek-R1-Distill-Qwen-7B-quantized.w8a8", Qwen25_7B, DType.Int8, 131072),
        new("neuralmagic/DeepSeek-R1-Distill-Qwen-7B-quantized.w8a8", Qwen25_7B, DType.Int8, 131072),
        new("RedHatAI/DeepSeek-R1-Distill-Qwen-7B-quantized.w4a16", Qwen25_7B, DType.Int4, 131072),
        new("neuralmagic/DeepSeek-R1-Distill-Qwen-7B-quantized.w4a16", Qwen25_7B, DType.Int4, 131072),
        new("RedHatAI/DeepSeek-R1-Distill-Qwen-1.5B-quantized.w8a8", R1DistillQwen1_5B, DType.Int8),
        new("neuralmagic/DeepSeek-R1-Distill-Qwen-1.5B-quantized.w8a8", R1DistillQwen1_5B, DType.Int8),
        new("RedHatAI/DeepSeek-R1-Distill-Qwen-1.5B-quantized.w4a16", R1DistillQwen1_5B, DType.Int4),
        new("neuralmagic/DeepSeek-R1-Distill-Qwen-1.5B-quantized.w4a16", R1DistillQwen1_5B, DType.Int4),
        new("Qwen/Qwen2.5-7B-Instruct-AWQ", Qwen25_7B, DType.Int4),
        new("Qwen/Qwen2.5-7B-Instruct-GPTQ-Int4", Qwen25_7B, DType.Int4),
        new("Qwen/Qwen2.5-14B-Instruct-AWQ", Qwen25_14B, DType.Int4),
        new("Qwen/Qwen2.5-14B-Instruct-GPTQ-Int4", Qwen25_14B, DType.Int4),
        new("Qwen/Qwen2.5-32B-Instruct-AWQ", Qwen25_32B, DType.Int4),
        new("Qwen/Qwen2.5-32B-Instruct-GPTQ-Int4", Qwen25_32B, DType.Int4),
        new("Qwen/Qwen2.5-72B-Instruct-AWQ", Qwen25_72B, DType.Int4),
        new("Qwen/Qwen2.5-72B-Instruct-GPTQ-Int4", Qwen25_72B, DType.Int4),
        new("Qwen/QwQ-32B", Qwen25_32B, MaxContext: 40960),
        new("Qwen/Qwen2.5-Coder-32B-Instruct", Qwen25_32B),
        new("Qwen/Qwen2.5-Coder-32B", Qwen25_32B),
        new("Qwen/Qwen2.5-Coder-14B-Instruct", Qwen25_14B),
        new("Qwen/Qwen2.5-Coder-14B", Qwen25_14B),
        new("Qwen/Qwen2.5-Coder-7B-Instruct", Qwen25_7B),
        new("Qwen/Qwen2.5-Coder-7B", Qwen25_7B),
        new("Qwen/Qwen2.5-Coder-3B-Instruct", Qwen25_3B),
        new("Qwen/Qwen2.5-Coder-1.5B-Instruct", Qwen25_1_5B),
        new("Qwen/Qwen2.5-Coder-0.5B-Instruct", Qwen25_0_5B),
        new("RedHatAI/Qwen2.5-72B-Instruct-FP8-dynamic", Qwen25_72B, DType.Fp8),
        // Qwen2 (the release before 2.5): the same 7B and 72B shapes and vocabulary, 32,768 positions.
        new("Qwen/Qwen2-7B-Instruct", Qwen25_7B, MaxContext: 32768),
        new("Qwen/Qwen2-7B", Qwen25_7B, MaxContext: 32768),
        new("Qwen/Qwen2-72B-Instruct", Qwen25_72B, MaxContext: 32768),
        new("Qwen/Qwen2-72B", Qwen25_72B, MaxContext: 32768),
        // Qwen2.5-VL: the Qwen2.5 text stack of its size (text_config's shapes, 128,000 positions) behind the vision tower,
        // which text steps do not run; SGLang sizes its memory by it (VisionEncoderSpec).
        new("Qwen/Qwen2.5-VL-3B-Instruct", Qwen25_3B with { Vision = Qwen25VisionTower }, MaxContext: 128000),
        new("Qwen/Qwen2.5-VL-7B-Instruct", Qwen25_7B with { Vision = Qwen25VisionTower }, MaxContext: 128000),
        new("Qwen/Qwen2.5-VL-32B-Instruct", Qwen25_32B with { Vision = Qwen25VisionTower }, MaxContext: 128000),
        new("Qwen/Qwen2.5-VL-72B-Instruct", Qwen25_72B with { Vision = Qwen25VisionTower }, MaxContext: 128000),
    ];
}
