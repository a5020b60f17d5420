namespace DisaggServing.Engine.Catalog;

/// <summary>
/// Gemma 4 (gemma4; the language model under text_config): five of every six layers slide a 1,024-token window with
/// heads of 256; every sixth attends to the whole context with wider heads of 512 and fewer KV heads, whose keys double
/// as values (attention_k_eq_v: no value projection; <see cref="GlobalAttentionSpec"/>). GeGLU MLPs, the LM head tied to
/// the input embedding, vocab 262144, 262,144 positions. The 26B-A4B runs its dense MLP (2,112 wide) beside 128 experts
/// of 704, top-8, in every layer (counted as three shared experts of 704: the same weights). The vision tower is left out
/// (the catalog serves text), and so are the edge models (E2B, E4B: per-layer input embeddings, KV shared between layers).
/// </summary>
public static partial class ModelCatalog
{
    /// <summary>
    /// google/gemma-4-31B-it: 60 layers of 5376 hidden, 32 query heads; 50 sliding layers of 16 KV heads of 256 and 10
    /// full-attention layers of 4 KV heads of 512 (keys as values); MLP 21504. The geometry gives 30.7B parameters.
    /// </summary>
    public static readonly ModelSpec Gemma4_31B = new("google/gemma-4-31B-it",
        Layers: 60, Hidden: 5376, Heads: 32, KvHeads: 16, HeadDim: 256, Ffn: 21504, Vocab: 262144, TiedEmbeddings: true,
        MaxContext: 262144, AttentionKind.Gqa, Moe: null, Mla: null, PublishedParams: 30.7e9, PublishedActiveParams: 30.7e9)
    {
        OffsetNorm = true,
        Window = new AttentionWindow(GemmaWindow, Layers: 50, Chunked: false),
        GlobalAttention = new GlobalAttentionSpec(KvHeads: 4, HeadDim: 512, KeysAreValues: true),
    };

    /// <summary>
    /// google/gemma-4-26B-A4B-it: 30 layers of 2816 hidden, 16 query heads; 25 sliding layers of 8 KV heads of 256 and 5
    /// full-attention layers of 2 KV heads of 512 (keys as values); in every layer a dense MLP of 2112 beside 128 experts
    /// of 704, top-8. The geometry gives 25.2B parameters and 3.8B active with the embedding.
    /// </summary>
    public static readonly ModelSpec Gemma4_26B = new("google/gemma-4-26B-A4B-it",
        Layers: 30, Hidden: 2816, Heads: 16, KvHeads: 8, HeadDim: 256, Ffn: 2112, Vocab: 262144, TiedEmbeddings: true,
        MaxContext: 262144, AttentionKind.Gqa, Moe: new MoeSpec(RoutedExperts: 128, ExpertsPerToken: 8, SharedExperts: 3, ExpertFfn: 704, DenseLayers: 0),
        Mla: null, PublishedParams: 25.2e9, PublishedActiveParams: 3.8e9)
    {
        OffsetNorm = true,
        Window = new AttentionWindow(GemmaWindow, Layers: 25, Chunked: false),
        GlobalAttention = new GlobalAttentionSpec(KvHeads: 2, HeadDim: 512, KeysAreValues: true),
    };

    private static readonly ModelSpec[] Gemma4Models = [Gemma4_31B, Gemma4_26B];

    // The pre-trained checkpoints keep the shapes; Red Hat's -FP8-block releases are block-scaled FP8 (128 × 128).
    private static readonly ModelAlias[] Gemma4Aliases =
    [
        new("google/gemma-4-31B", Gemma4_31B),
        new("google/gemma-4-26B-A4B", Gemma4_26B),
        new("RedHatAI/gemma-4-31B-it-FP8-block", Gemma4_31B, DType.Fp8),
    ];
}
