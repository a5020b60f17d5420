namespace DisaggServing.Engine.Catalog;

/// <summary>Baidu's ERNIE 4.5 MoE models (ernie4_5_moe: GQA attention, a leading dense layer, shared experts).</summary>
public static partial class ModelCatalog
{
    /// <summary>
    /// baidu/ERNIE-4.5-21B-A3B-PT: 28 layers (the first dense, FFN 12288), 2560 hidden, 20/4 heads of 128, 64 routed experts
    /// top-6 + 2 shared of width 1536 (softmax scores, a correction bias choosing the experts), vocab 103424, tied
    /// embeddings, 131,072 positions. The card states 21B total and 3B activated, without the embeddings.
    /// </summary>
    public static readonly ModelSpec Ernie45_21B_A3B = new("baidu/ERNIE-4.5-21B-A3B-PT",
        Layers: 28, Hidden: 2560, Heads: 20, KvHeads: 4, HeadDim: 128, Ffn: 12288, Vocab: 103424, TiedEmbeddings: true,
        MaxContext: 131072, AttentionKind.Gqa, Moe: new MoeSpec(RoutedExperts: 64, ExpertsPerToken: 6, SharedExperts: 2, ExpertFfn: 1536, DenseLayers: 1),
        Mla: null, PublishedParams: 21.8e9, PublishedActiveParams: 3e9);

    private static readonly ModelSpec[] ErnieModels = [Ernie45_21B_A3B];

    // The base checkpoint and the Thinking release keep the shapes.
    private static readonly ModelAlias[] ErnieAliases =
    [
        new("baidu/ERNIE-4.5-21B-A3B-Base-PT", Ernie45_21B_A3B),
        new("baidu/ERNIE-4.5-21B-A3B-Thinking", Ernie45_21B_A3B),
    ];
}
