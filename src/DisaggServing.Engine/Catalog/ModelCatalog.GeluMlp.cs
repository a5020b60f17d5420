namespace DisaggServing.Engine.Catalog;

/// <summary>
/// Dense models with a plain GELU MLP (up and down projections, 4 × hidden wide; <see cref="ModelSpec.GatedMlp"/> false)
/// and attention in parallel with it: EleutherAI's GPT-J and TII's Falcon, the models of TensorRT-LLM's first
/// performance tables and of MLPerf's GPT-J benchmark; and BigCode's StarCoder2, whose plain MLP follows its attention. Their parallel attention and MLP read one layer norm's output, which
/// the roofline costs the same as two sequential blocks (the same GEMMs, one all-reduce fewer a layer under TP; not modelled).
/// </summary>
public static partial class ModelCatalog
{
    /// <summary>
    /// EleutherAI/gpt-j-6b: 28 layers, 4096 hidden, 16 heads (MHA) of 256, GELU MLP 16384 wide (n_inner null: 4 × n_embd),
    /// vocab 50400, untied LM head, 2,048-token context; rotary on 64 of each head's 256 dimensions (no cost of its own
    /// here). The card counts 6,053,381,344 parameters (biases and norms included).
    /// </summary>
    public static readonly ModelSpec GptJ6B = new("EleutherAI/gpt-j-6b",
        Layers: 28, Hidden: 4096, Heads: 16, KvHeads: 16, HeadDim: 256, Ffn: 16384, Vocab: 50400, TiedEmbeddings: false,
        MaxContext: 2048, AttentionKind.Gqa, Moe: null, Mla: null, PublishedParams: 6.053e9, PublishedActiveParams: 6.053e9)
    {
        GatedMlp = false,
    };

    /// <summary>
    /// tiiuae/falcon-180B: 80 layers, 14848 hidden, 232 query heads of 64 over 8 KV heads (new_decoder_architecture),
    /// GELU MLP 59392 wide (4 × hidden), vocab 65024, untied LM head (TensorRT-LLM's share_embedding_table false),
    /// 2,048-token context, no biases. The card states 180B.
    /// </summary>
    public static readonly ModelSpec Falcon180B = new("tiiuae/falcon-180B",
        Layers: 80, Hidden: 14848, Heads: 232, KvHeads: 8, HeadDim: 64, Ffn: 59392, Vocab: 65024, TiedEmbeddings: false,
        MaxContext: 2048, AttentionKind.Gqa, Moe: null, Mla: null, PublishedParams: 180e9, PublishedActiveParams: 180e9)
    {
        GatedMlp = false,
    };

    /// <summary>
    /// tiiuae/falcon-40b: 60 layers, 8192 hidden, 128 query heads of 64 over 8 KV heads (new_decoder_architecture), GELU
    /// MLP 32768 wide, vocab 65024, untied LM head, 2,048-token context. The checkpoint holds 41.8B parameters.
    /// </summary>
    public static readonly ModelSpec Falcon40B = new("tiiuae/falcon-40b",
        Layers: 60, Hidden: 8192, Heads: 128, KvHeads: 8, HeadDim: 64, Ffn: 32768, Vocab: 65024, TiedEmbeddings: false,
        MaxContext: 2048, AttentionKind.Gqa, Moe: null, Mla: null, PublishedParams: 41.8e9, PublishedActiveParams: 41.8e9)
    {
        GatedMlp = false,
    };

    /// <summary>
    /// tiiuae/falcon-7b: 32 layers, 4544 hidden, 71 query heads of 64 over one KV head (multi-query), GELU MLP 18176
    /// wide, vocab 65024, untied LM head, 2,048-token context. The checkpoint holds 7.22B parameters; 71 heads leave TP 1.
    /// </summary>
    public static readonly ModelSpec Falcon7B = new("tiiuae/falcon-7b",
        Layers: 32, Hidden: 4544, Heads: 71, KvHeads: 1, HeadDim: 64, Ffn: 18176, Vocab: 65024, TiedEmbeddings: false,
        MaxContext: 2048, AttentionKind.Gqa, Moe: null, Mla: null, PublishedParams: 7.22e9, PublishedActiveParams: 7.22e9)
    {
        GatedMlp = false,
    };

    /// <summary>
    /// bigcode/starcoder2-15b: 40 layers, 6144 hidden, 48/4 heads of 128, a plain GELU MLP 24576 wide (c_fc, c_proj),
    /// vocab 49152, untied LM head, 16,384-token context with a 4,096-token sliding window on every layer; biases
    /// throughout (not costed). 15.96B.
    /// </summary>
    public static readonly ModelSpec StarCoder2_15B = new("bigcode/starcoder2-15b",
        Layers: 40, Hidden: 6144, Heads: 48, KvHeads: 4, HeadDim: 128, Ffn: 24576, Vocab: 49152, TiedEmbeddings: false,
        MaxContext: 16384, AttentionKind.Gqa, Moe: null, Mla: null, PublishedParams: 15.96e9, PublishedActiveParams: 15.96e9)
    {
        GatedMlp = false, Window = new AttentionWindow(4096, 40, Chunked: false),
    };

    /// <summary>bigcode/starcoder2-7b: starcoder2-15b's layer at 32 layers, 4608 hidden, 36/4 heads of 128, MLP 18432, LM head tied. 7.17B.</summary>
    public static readonly ModelSpec StarCoder2_7B = StarCoder2_15B with
    {
        Id = "bigcode/starcoder2-7b", Layers = 32, Hidden = 4608, Heads = 36, Ffn = 18432, TiedEmbeddings = true,
        PublishedParams = 7.17e9, PublishedActiveParams = 7.17e9, Window = new AttentionWindow(4096, 32, Chunked: false),
    };

    private static readonly ModelSpec[] GeluMlpModels = [GptJ6B, Falcon180B, Falcon40B, Falcon7B, StarCoder2_15B, StarCoder2_7B];

    private static readonly ModelAlias[] GeluMlpAliases =
    [
        new("tiiuae/falcon-180B-chat", Falcon180B),
        new("tiiuae/falcon-40b-instruct", Falcon40B),
        new("tiiuae/falcon-7b-instruct", Falcon7B),
    ];
}
