namespace DisaggServing.Engine.Catalog;

/// <summary>
/// DeepSeek-V2 (deepseek_v2), the first MLA MoE models and the ones SGLang's and vLLM's MLA kernels were first benchmarked
/// on: V2 (236B) and V2-Lite (15.7B), BF16 checkpoints, and the chat, V2.5 and Coder-V2 releases that keep their shapes.
/// </summary>
public static partial class ModelCatalog
{
    /// <summary>
    /// deepseek-ai/DeepSeek-V2: 60 layers (first dense, FFN 12288), 5120 hidden, 128 heads, MLA (q_lora 1536, kv_lora 512,
    /// nope 128, rope 64, v 128), 160 routed experts top-6 + 2 shared of width 1536, vocab 102400, 163,840 positions.
    /// The card states 236B total, 21B activated.
    /// </summary>
    public static readonly ModelSpec DeepSeekV2 = new("deepseek-ai/DeepSeek-V2",
        Layers: 60, Hidden: 5120, Heads: 128, KvHeads: 128, HeadDim: 192, Ffn: 12288, Vocab: 102400, TiedEmbeddings: false,
        MaxContext: 163840, AttentionKind.Mla, Moe: new MoeSpec(160, 6, 2, 1536, DenseLayers: 1),
        Mla: new MlaSpec(QLoraRank: 1536, KvLoraRank: 512, QkNopeHeadDim: 128, QkRopeHeadDim: 64, VHeadDim: 128),
        PublishedParams: 236e9, PublishedActiveParams: 21e9);

    /// <summary>
    /// deepseek-ai/DeepSeek-V2-Lite: 27 layers (first dense, FFN 10944), 2048 hidden, 16 heads, MLA without a query
    /// down-projection (q_lora_rank null; kv_lora 512, nope 128, rope 64, v 128), 64 routed experts top-6 + 2 shared of width
    /// 1408, vocab 102400. The card states 15.7B total and 2.4B activated, the latter without the input embedding.
    /// </summary>
    public static readonly ModelSpec DeepSeekV2Lite = new("deepseek-ai/DeepSeek-V2-Lite",
        Layers: 27, Hidden: 2048, Heads: 16, KvHeads: 16, HeadDim: 192, Ffn: 10944, Vocab: 102400, TiedEmbeddings: false,
        MaxContext: 163840, AttentionKind.Mla, Moe: new MoeSpec(64, 6, 2, 1408, DenseLayers: 1),
        Mla: new MlaSpec(QLoraRank: 0, KvLoraRank: 512, QkNopeHeadDim: 128, QkRopeHeadDim: 64, VHeadDim: 128),
        PublishedParams: 15.7e9, PublishedActiveParams: 2.4e9);

    private static readonly ModelSpec[] DeepSeekV2Models = [DeepSeekV2, DeepSeekV2Lite];

    // Chat fine-tunes, V2.5 (the merge of V2-Chat and Coder-V2) and Coder-V2 keep the config.json shapes.
    private static readonly ModelAlias[] DeepSeekV2Aliases =
    [
        new("deepseek-ai/DeepSeek-V2-Chat", DeepSeekV2),
        new("deepseek-ai/DeepSeek-V2-Chat-0628", DeepSeekV2),
        new("deepseek-ai/DeepSeek-V2.5", DeepSeekV2),
        new("deepseek-ai/DeepSeek-V2.5-1210", DeepSeekV2),
        new("deepseek-ai/DeepSeek-Coder-V2-Instruct", DeepSeekV2),
        new("deepseek-ai/DeepSeek-Coder-V2-Base", DeepSeekV2),
        new("deepseek-ai/DeepSeek-V2-Lite-Chat", DeepSeekV2Lite),
        new("deepseek-ai/DeepSeek-Coder-V2-Lite-Instruct", DeepSeekV2Lite),
        new("deepseek-ai/DeepSeek-Coder-V2-Lite-Base", DeepSeekV2Lite),
    ];
}
