namespace DisaggServing.Engine.Catalog;

/// <summary>Microsoft's Phi-4 (phi3 architecture: fused QKV and gate-up projections, the same shapes unfused).</summary>
public static partial class ModelCatalog
{
    /// <summary>
    /// microsoft/phi-4: 40 layers, 5120 hidden, 40/10 heads of 128, FFN 17920, vocab 100352, untied embeddings,
    /// 16,384-token context, no sliding window. The card states 14B (rounded); Hugging Face counts 14.7B in the checkpoint.
    /// </summary>
    public static readonly ModelSpec Phi4 = new("microsoft/phi-4",
        Layers: 40, Hidden: 5120, Heads: 40, KvHeads: 10, HeadDim: 128, Ffn: 17920, Vocab: 100352, TiedEmbeddings: false,
        MaxContext: 16384, AttentionKind.Gqa, Moe: null, Mla: null, PublishedParams: 14.7e9, PublishedActiveParams: 14.7e9);

    private static readonly ModelSpec[] PhiModels = [Phi4];

    private static readonly ModelAlias[] PhiAliases =
    [
        new("RedHatAI/phi-4-FP8-dynamic", Phi4, DType.Fp8),
    ];
}
