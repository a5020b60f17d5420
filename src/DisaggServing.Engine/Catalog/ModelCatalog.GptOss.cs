namespace DisaggServing.Engine.Catalog;

/// <summary>
/// OpenAI gpt-oss MoE models: 2880 hidden, 64/8 heads of 64, experts of width 2880 top-4, no shared expert, every
/// layer MoE; layers alternate a 128-token sliding window and full attention (layer_types), each head with a learned
/// attention sink (a per-head logit: no cost of its own, but not every attention kernel takes one, <see cref="ModelSpec.AttentionSinks"/>); vocab 201088, 131,072-token context. The checkpoints
/// ship the experts in MXFP4 (<see cref="DType.Mxfp4"/>: 4-bit E2M1 with one E8M0 scale per 32 values, 0.53 byte) and
/// the rest in BF16. OpenAI's active counts leave out the input embedding.
/// </summary>
public static partial class ModelCatalog
{
    /// <summary>openai/gpt-oss-120b: 36 layers (18 sliding-window), 128 experts top-4.</summary>
    public static readonly ModelSpec GptOss120B = new("openai/gpt-oss-120b",
        Layers: 36, Hidden: 2880, Heads: 64, KvHeads: 8, HeadDim: 64, Ffn: 2880, Vocab: 201088, TiedEmbeddings: false,
        MaxContext: 131072, AttentionKind.Gqa, Moe: new MoeSpec(RoutedExperts: 128, ExpertsPerToken: 4, SharedExperts: 0, ExpertFfn: 2880, DenseLayers: 0),
        Mla: null, PublishedParams: 116.83e9, PublishedActiveParams: 5.13e9)
    {
        CheckpointDtype = DType.Mxfp4, Window = new AttentionWindow(128, Layers: 18, Chunked: false), AttentionSinks = true, HarmonyChat = true,
    };

    /// <summary>openai/gpt-oss-20b: 24 layers (12 sliding-window), 32 experts top-4.</summary>
    public static readonly ModelSpec GptOss20B = new("openai/gpt-oss-20b",
        Layers: 24, Hidden: 2880, Heads: 64, KvHeads: 8, HeadDim: 64, Ffn: 2880, Vocab: 201088, TiedEmbeddings: false,
        MaxContext: 131072, AttentionKind.Gqa, Moe: new MoeSpec(RoutedExperts: 32, ExpertsPerToken: 4, SharedExperts: 0, ExpertFfn: 2880, DenseLayers: 0),
        Mla: null, PublishedParams: 20.91e9, PublishedActiveParams: 3.61e9)
    {
        CheckpointDtype = DType.Mxfp4, Window = new AttentionWindow(128, Layers: 12, Chunked: false), AttentionSinks = true, HarmonyChat = true,
    };

    private static readonly ModelSpec[] GptOssModels = [GptOss120B, GptOss20B];

    // gpt-oss-safeguard (October 2025): the safety-policy fine-tunes, each its base's config.json and MXFP4 experts.
    private static readonly ModelAlias[] GptOssAliases =
    [
        new("openai/gpt-oss-safeguard-120b", GptOss120B, DType.Mxfp4),
        new("openai/gpt-oss-safeguard-20b", GptOss20B, DType.Mxfp4),
    ];
}
