namespace DisaggServing.Engine.Catalog;

/// <summary>
/// Models by Hugging Face id. Every figure is the model's config.json (checked against public copies);
/// published parameter counts are from the model cards and are checked against the geometry by tests.
/// </summary>
public static class ModelCatalog
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

    /// <summary>
    /// deepseek-ai/DeepSeek-V3: 61 layers (first 3 dense, FFN 18432), 7168 hidden, 128 heads, MLA (q_lora 1536,
    /// kv_lora 512, nope 128, rope 64, v 128), 256 routed experts top-8 + 1 shared of width 2048, vocab 129280.
    /// The MTP module (used only for speculative decoding) is left out.
    /// </summary>
    public static readonly ModelSpec DeepSeekV3 = new("deepseek-ai/DeepSeek-V3",
        Layers: 61, Hidden: 7168, Heads: 128, KvHeads: 128, HeadDim: 192, Ffn: 18432, Vocab: 129280, TiedEmbeddings: false,
        MaxContext: 163840, AttentionKind.Mla, Moe: new MoeSpec(256, 8, 1, 2048, DenseLayers: 3),
        Mla: new MlaSpec(QLoraRank: 1536, KvLoraRank: 512, QkNopeHeadDim: 128, QkRopeHeadDim: 64, VHeadDim: 128),
        PublishedParams: 671e9, PublishedActiveParams: 37e9);

    /// <summary>
    /// zai-org/GLM-5-FP8 (glm_moe_dsa): 78 layers (first 3 dense, FFN 12288), 6144 hidden, 64 heads, MLA (q_lora 2048,
    /// kv_lora 512, nope 192, rope 64, v 256) with a DeepSeek Sparse Attention indexer (32 heads of 128, top-2048),
    /// 256 routed experts top-8 + 1 shared of width 2048, vocab 154880.
    /// </summary>
    public static readonly ModelSpec Glm5Fp8 = new("zai-org/GLM-5-FP8",
        Layers: 78, Hidden: 6144, Heads: 64, KvHeads: 64, HeadDim: 256, Ffn: 12288, Vocab: 154880, TiedEmbeddings: false,
        MaxContext: 202752, AttentionKind.Mla, Moe: new MoeSpec(256, 8, 1, 2048, DenseLayers: 3),
        Mla: new MlaSpec(QLoraRank: 2048, KvLoraRank: 512, QkNopeHeadDim: 192, QkRopeHeadDim: 64, VHeadDim: 256,
            IndexerHeads: 32, IndexerHeadDim: 128, IndexerTopK: 2048),
        PublishedParams: 744e9, PublishedActiveParams: 40e9);

    private static readonly Dictionary<string, ModelSpec> ById =
        new[] { Llama31_8B, Llama33_70B, Llama31_405B, Qwen3_32B, Qwen3_235B, Qwen3_30B_A3B, DeepSeekV3, Glm5Fp8 }
            .ToDictionary(m => m.Id, StringComparer.OrdinalIgnoreCase);

    /// <summary>Every model, by Hugging Face id.</summary>
    public static IReadOnlyDictionary<string, ModelSpec> All => ById;

    /// <summary>The model with this Hugging Face id; an <see cref="InputException"/> listing the known ids otherwise.</summary>
    public static ModelSpec Get(string id, string field = "--model") => UnknownId.Lookup(ById, id, "model", field);
}
