namespace DisaggServing.Engine.Catalog;

/// <summary>Llama 2 dense models (MLPerf's Llama-2-70B), their chat checkpoints and Code Llama, trained from them.</summary>
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

    /// <summary>
    /// codellama/CodeLlama-34b-Instruct-hf: 48 layers, 8192 hidden, 64/8 heads of 128 (GQA), FFN 22016, vocab 32000,
    /// 16,384-token context (rope_theta 1e6). The 34B Code Llama has no Llama 2 counterpart of its shapes.
    /// </summary>
    public static readonly ModelSpec CodeLlama34B = new("codellama/CodeLlama-34b-Instruct-hf",
        Layers: 48, Hidden: 8192, Heads: 64, KvHeads: 8, HeadDim: 128, Ffn: 22016, Vocab: 32000, TiedEmbeddings: false,
        MaxContext: 16384, AttentionKind.Gqa, Moe: null, Mla: null, PublishedParams: 33.7e9, PublishedActiveParams: 33.7e9);

    private static readonly ModelSpec[] Llama2Models = [Llama2_7B, Llama2_13B, Llama2_70B, CodeLlama34B];

    // The chat fine-tunes keep every shape; MLPerf's Llama-2-70B benchmark serves the chat checkpoint. Code Llama 7B,
    // 13B and 70B keep their Llama 2 shapes (7B and 13B add 16 infilling tokens to the vocabulary, under 0.1% of their
    // parameters) with 16,384 positions.
    private static readonly ModelAlias[] Llama2Aliases =
    [
        new("codellama/CodeLlama-34b-hf", CodeLlama34B),
        new("codellama/CodeLlama-34b-Python-hf", CodeLlama34B),
        new("meta-llama/CodeLlama-34b-Instruct-hf", CodeLlama34B),
        new("meta-llama/CodeLlama-34b-hf", CodeLlama34B),
        new("codellama/CodeLlama-7b-Instruct-hf", Llama2_7B, MaxContext: 16384),
        new("codellama/CodeLlama-7b-hf", Llama2_7B, MaxContext: 16384),
        new("codellama/CodeLlama-13b-Instruct-hf", Llama2_13B, MaxContext: 16384),
        new("codellama/CodeLlama-13b-hf", Llama2_13B, MaxContext: 16384),
        new("codellama/CodeLlama-70b-Instruct-hf", Llama2_70B, MaxContext: 16384),
        new("codellama/CodeLlama-70b-hf", Llama2_70B, MaxContext: 16384),
        new("meta-llama/CodeLlama-70b-Instruct-hf", Llama2_70B, MaxContext: 16384),
        new("meta-llama/CodeLlama-70b-hf", Llama2_70B, MaxContext: 16384),
        new("meta-llama/Llama-2-7b-chat-hf", Llama2_7B),
        new("meta-llama/Llama-2-13b-chat-hf", Llama2_13B),
        new("meta-llama/Llama-2-70b-chat-hf", Llama2_70B),
    ];
}
