namespace DisaggServing.Engine.Catalog;

/// <summary>Other makers' dense models on Llama's layer (SwiGLU MLP, GQA, untied LM head): 01.AI's Yi and TII's Falcon3.</summary>
public static partial class ModelCatalog
{
    /// <summary>
    /// 01-ai/Yi-34B-Chat: 60 layers, 7168 hidden, 56/8 heads of 128, FFN 20480, vocab 64000, 4,096-token context. 34.4B.
    /// </summary>
    public static readonly ModelSpec Yi34B = new("01-ai/Yi-34B-Chat",
        Layers: 60, Hidden: 7168, Heads: 56, KvHeads: 8, HeadDim: 128, Ffn: 20480, Vocab: 64000, TiedEmbeddings: false,
        MaxContext: 4096, AttentionKind.Gqa, Moe: null, Mla: null, PublishedParams: 34.4e9, PublishedActiveParams: 34.4e9);

    /// <summary>
    /// tiiuae/Falcon3-10B-Instruct: 40 layers, 3072 hidden, 12/4 heads of 256, FFN 23040, vocab 131072, untied,
    /// 32,768-token context. 10.3B.
    /// </summary>
    public static readonly ModelSpec Falcon3_10B = new("tiiuae/Falcon3-10B-Instruct",
        Layers: 40, Hidden: 3072, Heads: 12, KvHeads: 4, HeadDim: 256, Ffn: 23040, Vocab: 131072, TiedEmbeddings: false,
        MaxContext: 32768, AttentionKind.Gqa, Moe: null, Mla: null, PublishedParams: 10.3e9, PublishedActiveParams: 10.3e9);

    /// <summary>tiiuae/Falcon3-7B-Instruct: Falcon3-10B's layer at 28 layers. 7.46B.</summary>
    public static readonly ModelSpec Falcon3_7B = Falcon3_10B with
    {
        Id = "tiiuae/Falcon3-7B-Instruct", Layers = 28, PublishedParams = 7.46e9, PublishedActiveParams = 7.46e9,
    };

    private static readonly ModelSpec[] LlamaShapedModels = [Yi34B, Falcon3_10B, Falcon3_7B];

    // The base checkpoints share their chat models' shapes; Yi-1.5-34B keeps Yi-34B's.
    private static readonly ModelAlias[] LlamaShapedAliases =
    [
        new("01-ai/Yi-34B", Yi34B),
        new("01-ai/Yi-1.5-34B-Chat", Yi34B),
        new("01-ai/Yi-1.5-34B", Yi34B),
        new("tiiuae/Falcon3-10B-Base", Falcon3_10B),
        new("tiiuae/Falcon3-7B-Base", Falcon3_7B),
    ];
}
