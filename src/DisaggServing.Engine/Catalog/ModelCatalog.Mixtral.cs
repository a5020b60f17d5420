namespace DisaggServing.Engine.Catalog;

/// <summary>Mixtral MoE models.</summary>
public static partial class ModelCatalog
{
    /// <summary>
    /// mistralai/Mixtral-8x7B-Instruct-v0.1: 32 layers, 4096 hidden, 32/8 heads of 128, 8 experts top-2 of width 14336,
    /// no shared expert, every layer MoE, vocab 32000, 32,768-token context.
    /// </summary>
    public static readonly ModelSpec Mixtral8x7B = new("mistralai/Mixtral-8x7B-Instruct-v0.1",
        Layers: 32, Hidden: 4096, Heads: 32, KvHeads: 8, HeadDim: 128, Ffn: 14336, Vocab: 32000, TiedEmbeddings: false,
        MaxContext: 32768, AttentionKind.Gqa, Moe: new MoeSpec(RoutedExperts: 8, ExpertsPerToken: 2, SharedExperts: 0, ExpertFfn: 14336, DenseLayers: 0),
        Mla: null, PublishedParams: 46.7e9, PublishedActiveParams: 12.9e9);

    /// <summary>
    /// mistralai/Mixtral-8x22B-Instruct-v0.1: 56 layers, 6144 hidden, 48/8 heads of 128, 8 experts top-2 of width
    /// 16384, no shared expert, every layer MoE, vocab 32768, 65,536-token context.
    /// </summary>
    public static readonly ModelSpec Mixtral8x22B = new("mistralai/Mixtral-8x22B-Instruct-v0.1",
        Layers: 56, Hidden: 6144, Heads: 48, KvHeads: 8, HeadDim: 128, Ffn: 16384, Vocab: 32768, TiedEmbeddings: false,
        MaxContext: 65536, AttentionKind.Gqa, Moe: new MoeSpec(RoutedExperts: 8, ExpertsPerToken: 2, SharedExperts: 0, ExpertFfn: 16384, DenseLayers: 0),
        Mla: null, PublishedParams: 141e9, PublishedActiveParams: 39e9);

    /// <summary>mistralai/Mixtral-8x22B-v0.1 (the base model): the Instruct shapes with the older 32,000-token vocabulary.</summary>
    public static readonly ModelSpec Mixtral8x22BBase = Mixtral8x22B with { Id = "mistralai/Mixtral-8x22B-v0.1", Vocab = 32000 };

    private static readonly ModelSpec[] MixtralModels = [Mixtral8x7B, Mixtral8x22B, Mixtral8x22BBase];

    private static readonly ModelAlias[] MixtralAliases =
    [
        new("mistralai/Mixtral-8x7B-v0.1", Mixtral8x7B),
    ];
}
