namespace DisaggServing.Engine.Catalog;

/// <summary>Microsoft's Phi-3 and Phi-4 dense models (phi3 architecture: fused QKV and gate-up projections, the same shapes unfused).</summary>
public static partial class ModelCatalog
{
    /// <summary>
    /// microsoft/phi-4: 40 layers, 5120 hidden, 40/10 heads of 128, FFN 17920, vocab 100352, untied embeddings,
    /// 16,384-token context, no sliding window. The card states 14B (rounded); Hugging Face counts 14.7B in the checkpoint.
    /// </summary>
    public static readonly ModelSpec Phi4 = new("microsoft/phi-4",
        Layers: 40, Hidden: 5120, Heads: 40, KvHeads: 10, HeadDim: 128, Ffn: 17920, Vocab: 100352, TiedEmbeddings: false,
        MaxContext: 16384, AttentionKind.Gqa, Moe: null, Mla: null, PublishedParams: 14.7e9, PublishedActiveParams: 14.7e9);

    /// <summary>microsoft/Phi-3-mini-4k-instruct: 32 layers, 3072 hidden, 32 heads (MHA) of 96, FFN 8192, vocab 32064, untied, 4,096-token context; 3.8B.</summary>
    public static readonly ModelSpec Phi3Mini = new("microsoft/Phi-3-mini-4k-instruct",
        Layers: 32, Hidden: 3072, Heads: 32, KvHeads: 32, HeadDim: 96, Ffn: 8192, Vocab: 32064, TiedEmbeddings: false,
        MaxContext: 4096, AttentionKind.Gqa, Moe: null, Mla: null, PublishedParams: 3.82e9, PublishedActiveParams: 3.82e9);

    /// <summary>microsoft/Phi-3-medium-4k-instruct: 40 layers, 5120 hidden, 40/10 heads of 128, FFN 17920, vocab 32064, untied, 4,096-token context; 14B.</summary>
    public static readonly ModelSpec Phi3Medium = new("microsoft/Phi-3-medium-4k-instruct",
        Layers: 40, Hidden: 5120, Heads: 40, KvHeads: 10, HeadDim: 128, Ffn: 17920, Vocab: 32064, TiedEmbeddings: false,
        MaxContext: 4096, AttentionKind.Gqa, Moe: null, Mla: null, PublishedParams: 14e9, PublishedActiveParams: 14e9);

    /// <summary>
    /// microsoft/Phi-4-mini-instruct: 32 layers, 3072 hidden, 24/8 heads of 128, FFN 8192, vocab 200064, LM head tied,
    /// 131,072-token context (LongRoPE; RoPE on 3/4 of each head, no cost of its own). 3,836,021,760 parameters.
    /// </summary>
    public static readonly ModelSpec Phi4Mini = new("microsoft/Phi-4-mini-instruct",
        Layers: 32, Hidden: 3072, Heads: 24, KvHeads: 8, HeadDim: 128, Ffn: 8192, Vocab: 200064, TiedEmbeddings: true,
        MaxContext: 131072, AttentionKind.Gqa, Moe: null, Mla: null, PublishedParams: 3.836e9, PublishedActiveParams: 3.836e9);

    private static readonly ModelSpec[] PhiModels = [Phi4, Phi3Mini, Phi3Medium, Phi4Mini];

    private static readonly ModelAlias[] PhiAliases =
    [
        new("RedHatAI/phi-4-FP8-dynamic", Phi4, DType.Fp8),
        // The 128K-context releases keep the shapes (LongRoPE scaling is free); Phi-3.5-mini is Phi-3-mini's.
        new("microsoft/Phi-3-mini-128k-instruct", Phi3Mini, MaxContext: 131072),
        new("microsoft/Phi-3.5-mini-instruct", Phi3Mini, MaxContext: 131072),
        new("microsoft/Phi-3-medium-128k-instruct", Phi3Medium, MaxContext: 131072),
        // Phi-4-multimodal's language model is Phi-4-mini's (its vision and speech adapters are LoRA on the same weights);
        // NVIDIA's ModelOpt exports of it are FP8 and NVFP4.
        new("microsoft/Phi-4-multimodal-instruct", Phi4Mini),
        new("nvidia/Phi-4-multimodal-instruct-FP8", Phi4Mini, DType.Fp8),
        new("nvidia/Phi-4-multimodal-instruct-FP4", Phi4Mini, DType.Fp4),
        // The reasoning fine-tunes keep their bases' shapes; Phi-4-reasoning's context is 32,768 positions.
        new("microsoft/Phi-4-reasoning", Phi4, MaxContext: 32768),
        new("microsoft/Phi-4-reasoning-plus", Phi4, MaxContext: 32768),
        new("microsoft/Phi-4-mini-reasoning", Phi4Mini),
    ];
}
