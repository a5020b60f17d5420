namespace DisaggServing.Engine.Catalog;

/// <summary>Moonshot's Kimi K2 (kimi_k2: the DeepSeek-V3 architecture, wider in experts and narrower in heads).</summary>
public static partial class ModelCatalog
{
    /// <summary>
    /// moonshotai/Kimi-K2-Instruct: 61 layers (first 1 dense, FFN 18432), 7168 hidden, 64 heads, MLA (q_lora 1536,
    /// kv_lora 512, nope 128, rope 64, v 128), 384 routed experts top-8 + 1 shared of width 2048, vocab 163840,
    /// 131,072-token context, block-wise FP8 weights (weight_block_size 128 × 128), no MTP layer. The card states 1T
    /// total (rounded; Hugging Face counts 1.03T in the checkpoint) and 32B activated. Its tokenizer (tiktoken,
    /// tokenization_kimi.py) ships with the checkpoint: engines load it with <c>--trust-remote-code</c>.
    /// </summary>
    public static readonly ModelSpec KimiK2 = new("moonshotai/Kimi-K2-Instruct",
        Layers: 61, Hidden: 7168, Heads: 64, KvHeads: 64, HeadDim: 192, Ffn: 18432, Vocab: 163840, TiedEmbeddings: false,
        MaxContext: 131072, AttentionKind.Mla, Moe: new MoeSpec(384, 8, 1, 2048, DenseLayers: 1) { BiasedSigmoidRouting = true },
        Mla: new MlaSpec(QLoraRank: 1536, KvLoraRank: 512, QkNopeHeadDim: 128, QkRopeHeadDim: 64, VHeadDim: 128),
        PublishedParams: 1.03e12, PublishedActiveParams: 32e9) { CheckpointDtype = DType.Fp8, BlockScaledFp8 = true, RemoteCode = true };

    private static readonly ModelSpec[] KimiModels = [KimiK2];

    // K2-Instruct-0905 and K2-Thinking keep the shapes and raise max_position_embeddings to 262,144. K2-Thinking ships its
    // routed experts in INT4 (compressed-tensors W4A16, group 32; its ignore list keeps attention, the shared expert, the
    // dense layer and the LM head in BF16: 594 GB), costed as W4A16 experts beside BF16 layers (at the catalog's group-128
    // scale bytes, 4% under its group-32 ones). K2.5 and K2.6 (kimi_k25: this text model as text_config, behind a 0.4B
    // MoonViT vision tower not costed) ship the same way. NVIDIA's ModelOpt NVFP4 quantizations of K2-Thinking and K2.5
    // are FP4 checkpoints like the others.
    private static readonly ModelAlias[] KimiAliases =
    [
        new("moonshotai/Kimi-K2-Base", KimiK2, DType.Fp8),
        new("moonshotai/Kimi-K2-Instruct-0905", KimiK2, DType.Fp8, 262144),
        new("moonshotai/Kimi-K2-Thinking", KimiK2, DType.Int4, 262144, ExpertsOnly: true),
        new("moonshotai/Kimi-K2.5", KimiK2, DType.Int4, 262144, ExpertsOnly: true),
        new("moonshotai/Kimi-K2.6", KimiK2, DType.Int4, 262144, ExpertsOnly: true),
        new("nvidia/Kimi-K2-Thinking-NVFP4", KimiK2, DType.Fp4, 262144),
        new("nvidia/Kimi-K2.5-NVFP4", KimiK2, DType.Fp4, 262144),
    ];
}
