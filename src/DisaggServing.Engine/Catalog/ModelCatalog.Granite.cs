namespace DisaggServing.Engine.Catalog;

/// <summary>IBM Granite 3 dense models: Llama's layer with a small vocabulary and tied embeddings.</summary>
public static partial class ModelCatalog
{
    /// <summary>
    /// ibm-granite/granite-3.1-8b-instruct: 40 layers, 4096 hidden, 32/8 heads of 128, FFN 12800, vocab 49155, tied
    /// embeddings, 131,072-token context. Its embedding, residual, attention and logit multipliers scale activations, not
    /// shapes.
    /// </summary>
    public static readonly ModelSpec Granite31_8B = new("ibm-granite/granite-3.1-8b-instruct",
        Layers: 40, Hidden: 4096, Heads: 32, KvHeads: 8, HeadDim: 128, Ffn: 12800, Vocab: 49155, TiedEmbeddings: true,
        MaxContext: 131072, AttentionKind.Gqa, Moe: null, Mla: null, PublishedParams: 8.17e9, PublishedActiveParams: 8.17e9);

    private static readonly ModelSpec[] GraniteModels = [Granite31_8B];

    // Granite 3.0 8B has 3.1's shapes with 4,096 positions; the base checkpoints share their Instruct shapes; Granite 3.3
    // 8B keeps 3.1's (its vocabulary four tokens larger, 49,159).
    private static readonly ModelAlias[] GraniteAliases =
    [
        new("ibm-granite/granite-3.1-8b-base", Granite31_8B),
        new("ibm-granite/granite-3.0-8b-instruct", Granite31_8B, MaxContext: 4096),
        new("ibm-granite/granite-3.0-8b-base", Granite31_8B, MaxContext: 4096),
        new("ibm-granite/granite-3.3-8b-instruct", Granite31_8B),
        new("ibm-granite/granite-3.3-8b-base", Granite31_8B),
    ];
}
