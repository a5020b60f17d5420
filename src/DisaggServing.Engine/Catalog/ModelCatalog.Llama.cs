namespace DisaggServing.Engine.Catalog;

/// <summary>Llama 3.x dense models (3.1, 3.2, 3.3) and the checkpoints that share their geometry.</summary>
public static partial class ModelCatalog
{
    /// <summary>meta-llama/Llama-3.1-8B-Instruct: 32 layers, 4096 hidden, 32/8 heads, FFN 14336, vocab 128256.</summary>
    public static readonly ModelSpec Llama31_8B = new("meta-llama/Llama-3.1-8B-Instruct",
        Layers: 32, Hidden: 4096, Heads: 32, KvHeads: 8, HeadDim: 128, Ffn: 14336, Vocab: 128256, TiedEmbeddings: false,
        MaxContext: 131072, AttentionKind.Gqa, Moe: null, Mla: null, PublishedParams: 8.03e9, PublishedActiveParams: 8.03e9);

    /// <summary>meta-llama/Llama-3.3-70B-Instruct: 80 layers, 8192 hidden, 64/8 heads, FFN 28672.</summary>
    public static readonly ModelSpec Llama33_70B = new("meta-llama/Llama-3.3-70B-Instruct",
        Layers: 80, Hidden: 8192, Heads: 64, KvHeads: 8, HeadDim: 128, Ffn: 28672, Vocab: 128256, TiedEmbeddings: false,
        MaxContext: 131072, AttentionKind.Gqa, Moe: null, Mla: null, PublishedParams: 70.6e9, PublishedActiveParams: 70.6e9);

    /// <summary>meta-llama/Llama-3.1-405B-Instruct: 126 layers, 16384 hidden, 128/8 heads, FFN 53248.</summary>
    public static readonly ModelSpec Llama31_405B = new("meta-llama/Llama-3.1-405B-Instruct",
        Layers: 126, Hidden: 16384, Heads: 128, KvHeads: 8, HeadDim: 128, Ffn: 53248, Vocab: 128256, TiedEmbeddings: false,
        MaxContext: 131072, AttentionKind.Gqa, Moe: null, Mla: null, PublishedParams: 405e9, PublishedActiveParams: 405e9);

    /// <summary>
    /// meta-llama/Llama-3.2-1B-Instruct: 16 layers, 2048 hidden, 32/8 heads of 64, FFN 8192, vocab 128256, the LM head
    /// tied to the input embedding.
    /// </summary>
    public static readonly ModelSpec Llama32_1B = new("meta-llama/Llama-3.2-1B-Instruct",
        Layers: 16, Hidden: 2048, Heads: 32, KvHeads: 8, HeadDim: 64, Ffn: 8192, Vocab: 128256, TiedEmbeddings: true,
        MaxContext: 131072, AttentionKind.Gqa, Moe: null, Mla: null, PublishedParams: 1.24e9, PublishedActiveParams: 1.24e9);

    /// <summary>meta-llama/Llama-3.2-3B-Instruct: 28 layers, 3072 hidden, 24/8 heads of 128, FFN 8192, vocab 128256, tied embeddings.</summary>
    public static readonly ModelSpec Llama32_3B = new("meta-llama/Llama-3.2-3B-Instruct",
        Layers: 28, Hidden: 3072, Heads: 24, KvHeads: 8, HeadDim: 128, Ffn: 8192, Vocab: 128256, TiedEmbeddings: true,
        MaxContext: 131072, AttentionKind.Gqa, Moe: null, Mla: null, PublishedParams: 3.21e9, PublishedActiveParams: 3.21e9);

    private static readonly ModelSpec[] LlamaModels = [Llama31_8B, Llama33_70B, Llama31_405B, Llama32_1B, Llama32_3B];

    // Llama 3 and 3.1 share every shape of a size (layers, widths, heads, vocab 128256); Llama 3 (Meta-Llama-3-*) has
    // an 8,192-token context and plain RoPE where 3.1 has 131,072 and llama3-scaled RoPE, which the model does not cost.
    // Llama-3.1-70B and Llama-3.3-70B are the same shapes. ModelOpt (nvidia/*-FP8, *-FP4) and Red Hat's (formerly
    // Neural Magic's) FP8 checkpoints quantize the linear layers and keep the shapes. DeepSeek's R1 distillations into
    // Llama-3.1-8B and Llama-3.3-70B-Instruct are fine-tunes with the same shapes and vocabulary (128256), as is NVIDIA's
    // Llama-3.1-Nemotron-70B-Instruct (a fine-tune of Llama-3.1-70B-Instruct; -HF is its transformers checkpoint).
    // Llama 3.2's base checkpoints share their Instruct shapes.
    private static readonly ModelAlias[] LlamaAliases =
    [
        new("meta-llama/Llama-3.1-8B", Llama31_8B),
        new("meta-llama/Meta-Llama-3.1-8B", Llama31_8B),
        new("meta-llama/Meta-Llama-3.1-8B-Instruct", Llama31_8B),
        new("meta-llama/Meta-Llama-3-8B", Llama31_8B, MaxContext: 8192),
        new("meta-llama/Meta-Llama-3-8B-Instruct", Llama31_8B, MaxContext: 8192),
        new("nvidia/Llama-3.1-8B-Instruct-FP8", Llama31_8B, DType.Fp8),
        new("nvidia/Llama-3.1-8B-Instruct-FP4", Llama31_8B, DType.Fp4),
        // NVIDIA's Llama-3.1-Nemotron-Nano-8B-v1 (NIM's Nemotron Nano) is a post-training of Llama-3.1-8B-Instruct: its shapes.
        new("nvidia/Llama-3.1-Nemotron-Nano-8B-v1", Llama31_8B),
        // Llama Guard 3 8B is a fine-tune of Llama-3.1-8B: its shapes.
        new("meta-llama/Llama-Guard-3-8B", Llama31_8B),
        new("RedHatAI/Meta-Llama-3.1-8B-Instruct-FP8", Llama31_8B, DType.Fp8),
        new("RedHatAI/Meta-Llama-3.1-8B-Instruct-FP8-dynamic", Llama31_8B, DType.Fp8),
        new("RedHatAI/Llama-3.1-8B-Instruct-FP8-dynamic", Llama31_8B, DType.Fp8),
        new("neuralmagic/Meta-Llama-3.1-8B-Instruct-FP8", Llama31_8B, DType.Fp8),
        new("deepseek-ai/DeepSeek-R1-Distill-Llama-8B", Llama31_8B),
        new("RedHatAI/DeepSeek-R1-Distill-Llama-8B-FP8-dynamic", Llama31_8B, DType.Fp8),
        // Integer checkpoints: llm-compressor's W8A8 (INT8) and W4A16 (GPTQ, groups of 128), published by Neural Magic,
        // now Red Hat AI, under both names; Hugging Face's hugging-quants AWQ and GPTQ INT4 releases.
        new("RedHatAI/DeepSeek-R1-Distill-Llama-8B-quantized.w8a8", Llama31_8B, DType.Int8),
        new("neuralmagic/DeepSeek-R1-Distill-Llama-8B-quantized.w8a8", Llama31_8B, DType.Int8),
        new("RedHatAI/DeepSeek-R1-Distill-Llama-8B-quantized.w4a16", Llama31_8B, DType.Int4),
        new("neuralmagic/DeepSeek-R1-Distill-Llama-8B-quantized.w4a16", Llama31_8B, DType.Int4),
        new("RedHatAI/Meta-Llama-3.1-8B-Instruct-quantized.w8a8", Llama31_8B, DType.Int8),
        new("neuralmagic/Meta-Llama-3.1-8B-Instruct-quantized.w8a8", Llama31_8B, DType.Int8),
        new("RedHatAI/Meta-Llama-3.1-8B-Instruct-quantized.w4a16", Llama31_8B, DType.Int4),
        new("neuralmagic/Meta-Llama-3.1-8B-Instruct-quantized.w4a16", Llama31_8B, DType.Int4),
        new("hugging-quants/Meta-Llama-3.1-8B-Instruct-AWQ-INT4", Llama31_8B, DType.Int4),
        new("hugging-quants/Meta-Llama-3.1-8B-Instruct-GPTQ-INT4", Llama31_8B, DType.Int4),

        new("meta-llama/Llama-3.1-70B", Llama33_70B),
        new("meta-llama/Llama-3.1-70B-Instruct", Llama33_70B),
        new("meta-llama/Meta-Llama-3.1-70B", Llama33_70B),
        new("meta-llama/Meta-Llama-3.1-70B-Instruct", Llama33_70B),
        new("meta-llama/Meta-Llama-3-70B", Llama33_70B, MaxContext: 8192),
        new("meta-llama/Meta-Llama-3-70B-Instruct", Llama33_70B, MaxContext: 8192),
        new("nvidia/Llama-3.3-70B-Instruct-FP8", Llama33_70B, DType.Fp8),
        new("nvidia/Llama-3.3-70B-Instruct-FP4", Llama33_70B, DType.Fp4),
        new("nvidia/Llama-3.1-70B-Instruct-FP8", Llama33_70B, DType.Fp8),
        new("RedHatAI/Llama-3.3-70B-Instruct-FP8-dynamic", Llama33_70B, DType.Fp8),
        new("RedHatAI/Meta-Llama-3.1-70B-Instruct-FP8", Llama33_70B, DType.Fp8),
        new("RedHatAI/Meta-Llama-3.1-70B-Instruct-FP8-dynamic", Llama33_70B, DType.Fp8),
        new("neuralmagic/Meta-Llama-3.1-70B-Instruct-FP8", Llama33_70B, DType.Fp8),
        new("deepseek-ai/DeepSeek-R1-Distill-Llama-70B", Llama33_70B),
        new("RedHatAI/DeepSeek-R1-Distill-Llama-70B-FP8-dynamic", Llama33_70B, DType.Fp8),
        new("RedHatAI/DeepSeek-R1-Distill-Llama-70B-quantized.w8a8", Llama33_70B, DType.Int8),
        new("neuralmagic/DeepSeek-R1-Distill-Llama-70B-quantized.w8a8", Llama33_70B, DType.Int8),
        new("RedHatAI/DeepSeek-R1-Distill-Llama-70B-quantized.w4a16", Llama33_70B, DType.Int4),
        new("neuralmagic/DeepSeek-R1-Distill-Llama-70B-quantized.w4a16", Llama33_70B, DType.Int4),
        new("RedHatAI/Meta-Llama-3.1-70B-Instruct-quantized.w8a8", Llama33_70B, DType.Int8),
        new("neuralmagic/Meta-Llama-3.1-70B-Instruct-quantized.w8a8", Llama33_70B, DType.Int8),
        new("RedHatAI/Meta-Llama-3.1-70B-Instruct-quantized.w4a16", Llama33_70B, DType.Int4),
        new("neuralmagic/Meta-Llama-3.1-70B-Instruct-quantized.w4a16", Llama33_70B, DType.Int4),
        new("RedHatAI/Llama-3.3-70B-Instruct-quantized.w8a8", Llama33_70B, DType.Int8),
        new("RedHatAI/Llama-3.3-70B-Instruct-quantized.w4a16", Llama33_70B, DType.Int4),
        new("hugging-quants/Meta-Llama-3.1-70B-Instruct-AWQ-INT4", Llama33_70B, DType.Int4),
        new("hugging-quants/Meta-Llama-3.1-70B-Instruct-GPTQ-INT4", Llama33_70B, DType.Int4),
        new("nvidia/Llama-3.1-Nemotron-70B-Instruct-HF", Llama33_70B),
        new("nvidia/Llama-3.1-Nemotron-70B-Instruct", Llama33_70B),

        new("meta-llama/Llama-3.1-405B", Llama31_405B),
        new("meta-llama/Meta-Llama-3.1-405B-Instruct", Llama31_405B),
        new("meta-llama/Llama-3.1-405B-Instruct-FP8", Llama31_405B, DType.Fp8),
        new("nvidia/Llama-3.1-405B-Instruct-FP8", Llama31_405B, DType.Fp8),
        new("nvidia/Llama-3.1-405B-Instruct-FP4", Llama31_405B, DType.Fp4),
        new("RedHatAI/Meta-Llama-3.1-405B-Instruct-FP8-dynamic", Llama31_405B, DType.Fp8),
        new("RedHatAI/Meta-Llama-3.1-405B-Instruct-quantized.w8a8", Llama31_405B, DType.Int8),
        new("neuralmagic/Meta-Llama-3.1-405B-Instruct-quantized.w8a8", Llama31_405B, DType.Int8),
        new("RedHatAI/Meta-Llama-3.1-405B-Instruct-quantized.w4a16", Llama31_405B, DType.Int4),
        new("neuralmagic/Meta-Llama-3.1-405B-Instruct-quantized.w4a16", Llama31_405B, DType.Int4),
        new("hugging-quants/Meta-Llama-3.1-405B-Instruct-AWQ-INT4", Llama31_405B, DType.Int4),
        new("hugging-quants/Meta-Llama-3.1-405B-Instruct-GPTQ-INT4", Llama31_405B, DType.Int4),

        new("meta-llama/Llama-3.2-1B", Llama32_1B),
        new("meta-llama/Llama-3.2-3B", Llama32_3B),
    ];
}
