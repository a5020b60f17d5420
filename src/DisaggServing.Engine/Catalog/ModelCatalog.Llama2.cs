namespace DisaggServing.Engine.Catalog;

/// <summary>Llama 2 dense models (MLPerf's Llama-2-70B) and their chat checkpoints.</summary>
public static partial class ModelCatalog
{
    /// <summary>meta-llama/Llama-2-7b-hf: 32 layers, 4096 hidden, 32 heads (MHA: 32 KV heads) of 128, FFN 11008, vocab 32000, 4,096-token context.</summary>
    public static readonly ModelSpec Llama2_7B = new("meta-llama/Llama-2-7b-hf",
        Layers: 32, Hidden: 4096, Heads: 32, KvHeads: 32, HeadDim: 128, Ffn: 11008, Vocab: 32000, TiedEmbeddings: false,
        MaxContext: 4096, AttentionKind.Gqa, Moe: null, Mla: null, PublishedParams: 6.74e9, PublishedActiveParams: 6.74e9);

    /// <summary>meta-llama/Llama-2-13b-hf: 40 layers, 5120 hidden, 40 heads (MHA) of 128, FFN 13824, vocab 32000.</summary>
    public static readonly ModelSpec Llama2_13B = new("meta-llama/Llama-2-13b-hf",
        Layers: 40, Hidden: 5120, Heads: 40, KvHeads: 40, HeadDim: 128, Ffn: 13824, Vocab: 32000, TiedEmbeddings: false,
        MaxContext: 4096, AttentionKind.Gqa, Moe: null, Mla: null, PublishedParams: 13.0e9, PublishedActiveParams: 13.0e9);

    /// <summary>meta-llama/Llama-2-70b-hf: 80 layers, 8192 hidden, 64/8 heads of 128 (GQA), FFN 28672, vocab 32000.</summary>
    public static readonly ModelSpec Llama2_70B = new("meta-llama/Llama-2-70b-hf",
        Layers: 80, Hidden: 8192, Heads: 64, KvHeads: 8, HeadDim: 128, Ffn: 28672, Vocab: 32000, TiedEmbeddings: false,
        MaxContext: 4096, AttentionKind.Gqa, Moe: null, Mla: null, PublishedParams: 69.0e9, PublishedActiveParams: 69.0e9);

    private static readonly ModelSpec[] Llama2Models = [Llama2_7B, Llama2_13B, Llama2_70B];

    // The chat fine-tunes keep every shape; MLPerf's Llama-2-70B benchmark serves the chat checkpoint.
    private static readonly ModelAlias[] Llama2Aliases =
    [
        new("meta-llama/Llama-2-7b-chat-hf", Llama2_7B),
        new("meta-llama/Llama-2-13b-chat-hf", Llama2_13B),
        new("meta-llama/Llama-2-70b-chat-hf", Llama2_70B),
    ];
}
