namespace DisaggServing.Engine.Catalog;

/// <summary>Mistral 7B dense models: one spec per release, since their vocabularies and windows differ.</summary>
public static partial class ModelCatalog
{
    /// <summary>
    /// mistralai/Mistral-7B-Instruct-v0.3: 32 layers, 4096 hidden, 32/8 heads of 128, FFN 14336, vocab 32768,
    /// 32,768-token context, no sliding window.
    /// </summary>
    public static readonly ModelSpec Mistral7B_v03 = new("mistralai/Mistral-7B-Instruct-v0.3",
        Layers: 32, Hidden: 4096, Heads: 32, KvHeads: 8, HeadDim: 128, Ffn: 14336, Vocab: 32768, TiedEmbeddings: false,
        MaxContext: 32768, AttentionKind.Gqa, Moe: null, Mla: null, PublishedParams: 7.25e9, PublishedActiveParams: 7.25e9);

    /// <summary>mistralai/Mistral-7B-Instruct-v0.2: v0.3's shapes with the older 32,000-token vocabulary and no sliding window.</summary>
    public static readonly ModelSpec Mistral7B_v02 = Mistral7B_v03 with
    {
        Id = "mistralai/Mistral-7B-Instruct-v0.2", Vocab = 32000, PublishedParams = 7.24e9, PublishedActiveParams = 7.24e9,
    };

    /// <summary>
    /// mistralai/Mistral-7B-Instruct-v0.1: v0.2's shapes with a 4,096-token sliding window on every layer
    /// (config.json sliding_window 4096), which bounds the keys each query attends to and each sequence keeps.
    /// </summary>
    public static readonly ModelSpec Mistral7B_v01 = Mistral7B_v02 with
    {
        Id = "mistralai/Mistral-7B-Instruct-v0.1", Window = new AttentionWindow(Tokens: 4096, Layers: 32, Chunked: false),
    };

    private static readonly ModelSpec[] MistralModels = [Mistral7B_v03, Mistral7B_v02, Mistral7B_v01];

    private static readonly ModelAlias[] MistralAliases =
    [
        new("mistralai/Mistral-7B-v0.3", Mistral7B_v03),
        new("mistralai/Mistral-7B-v0.1", Mistral7B_v01),
    ];
}
