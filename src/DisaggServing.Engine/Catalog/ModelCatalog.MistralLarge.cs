namespace DisaggServing.Engine.Catalog;

/// <summary>Mistral's dense models above 7B: Mistral Large 2, Mistral Small 3.x (its text stack), Mistral NeMo, Ministral 8B and Codestral 22B.</summary>
public static partial class ModelCatalog
{
    /// <summary>
    /// mistralai/Mistral-Large-Instruct-2407: 88 layers, 12288 hidden, 96/8 heads of 128, FFN 28672, vocab 32768,
    /// 131,072-token context; 123B (model card).
    /// </summary>
    public static readonly ModelSpec MistralLarge2407 = new("mistralai/Mistral-Large-Instruct-2407",
        Layers: 88, Hidden: 12288, Heads: 96, KvHeads: 8, HeadDim: 128, Ffn: 28672, Vocab: 32768, TiedEmbeddings: false,
        MaxContext: 131072, AttentionKind.Gqa, Moe: null, Mla: null, PublishedParams: 123e9, PublishedActiveParams: 123e9);

    /// <summary>
    /// mistralai/Mistral-Small-24B-Instruct-2501: 40 layers, 5120 hidden, 32/8 heads of 128, FFN 32768, vocab 131072,
    /// 32,768-token context. The card states 24B (rounded); Hugging Face counts 23.6B in the checkpoint.
    /// </summary>
    public static readonly ModelSpec MistralSmall2501 = new("mistralai/Mistral-Small-24B-Instruct-2501",
        Layers: 40, Hidden: 5120, Heads: 32, KvHeads: 8, HeadDim: 128, Ffn: 32768, Vocab: 131072, TiedEmbeddings: false,
        MaxContext: 32768, AttentionKind.Gqa, Moe: null, Mla: null, PublishedParams: 23.6e9, PublishedActiveParams: 23.6e9);

    /// <summary>
    /// mistralai/Mistral-Nemo-Instruct-2407: 40 layers, 5120 hidden, 32/8 heads of 128 (head_dim set apart from
    /// hidden/heads), FFN 14336, vocab 131072, max_position_embeddings 1,024,000 (the card advertises 128k). The card
    /// states 12B (rounded); Hugging Face counts 12.2B in the checkpoint.
    /// </summary>
    public static readonly ModelSpec MistralNemo2407 = new("mistralai/Mistral-Nemo-Instruct-2407",
        Layers: 40, Hidden: 5120, Heads: 32, KvHeads: 8, HeadDim: 128, Ffn: 14336, Vocab: 131072, TiedEmbeddings: false,
        MaxContext: 1024000, AttentionKind.Gqa, Moe: null, Mla: null, PublishedParams: 12.2e9, PublishedActiveParams: 12.2e9);

    /// <summary>
    /// mistralai/Ministral-8B-Instruct-2410: 36 layers, 4096 hidden, 32/8 heads of 128, FFN 12288, vocab 131072, untied,
    /// 32,768 positions in its config.json (its sliding window as long). 8,019,808,256 parameters.
    /// </summary>
    public static readonly ModelSpec Ministral8B2410 = new("mistralai/Ministral-8B-Instruct-2410",
        Layers: 36, Hidden: 4096, Heads: 32, KvHeads: 8, HeadDim: 128, Ffn: 12288, Vocab: 131072, TiedEmbeddings: false,
        MaxContext: 32768, AttentionKind.Gqa, Moe: null, Mla: null, PublishedParams: 8.02e9, PublishedActiveParams: 8.02e9);

    /// <summary>
    /// mistralai/Codestral-22B-v0.1: 56 layers, 6144 hidden, 48/8 heads of 128, FFN 16384, vocab 32768, untied,
    /// 32,768-token context; 22.2B (model card).
    /// </summary>
    public static readonly ModelSpec Codestral22B = new("mistralai/Codestral-22B-v0.1",
        Layers: 56, Hidden: 6144, Heads: 48, KvHeads: 8, HeadDim: 128, Ffn: 16384, Vocab: 32768, TiedEmbeddings: false,
        MaxContext: 32768, AttentionKind.Gqa, Moe: null, Mla: null, PublishedParams: 22.2e9, PublishedActiveParams: 22.2e9);

    private static readonly ModelSpec[] MistralLargeModels = [MistralLarge2407, MistralSmall2501, MistralNemo2407, Ministral8B2410, Codestral22B];

    // Mistral-Large-Instruct-2411 keeps 2407's shapes and vocabulary. Mistral Small 3.1 (2503) and 3.2 (2506) are image-text
    // checkpoints whose text_config is 2501's with 131,072 positions; the Pixtral vision encoder is left out. Red Hat's
    // (formerly Neural Magic's) FP8 releases are per-channel FP8.
    private static readonly ModelAlias[] MistralLargeAliases =
    [
        new("mistralai/Mistral-Large-Instruct-2411", MistralLarge2407),
        new("mistralai/Mistral-Small-24B-Base-2501", MistralSmall2501),
        new("mistralai/Mistral-Small-3.1-24B-Instruct-2503", MistralSmall2501, MaxContext: 131072),
        new("mistralai/Mistral-Small-3.1-24B-Base-2503", MistralSmall2501, MaxContext: 131072),
        new("mistralai/Mistral-Small-3.2-24B-Instruct-2506", MistralSmall2501, MaxContext: 131072),
        // Devstral Small, the coding fine-tunes of Small 3.1 (text only, 128K context).
        new("mistralai/Devstral-Small-2505", MistralSmall2501, MaxContext: 131072),
        new("mistralai/Devstral-Small-2507", MistralSmall2501, MaxContext: 131072),
        new("RedHatAI/Mistral-Small-24B-Instruct-2501-FP8-dynamic", MistralSmall2501, DType.Fp8),
        new("RedHatAI/Mistral-Small-3.1-24B-Instruct-2503-FP8-dynamic", MistralSmall2501, DType.Fp8, 131072),
        new("mistralai/Mistral-Nemo-Base-2407", MistralNemo2407),
        new("neuralmagic/Mistral-Nemo-Instruct-2407-FP8", MistralNemo2407, DType.Fp8),
        new("RedHatAI/Mistral-Nemo-Instruct-2407-FP8", MistralNemo2407, DType.Fp8),
    ];
}
