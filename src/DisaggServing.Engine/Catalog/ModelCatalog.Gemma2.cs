namespace DisaggServing.Engine.Catalog;

/// <summary>
/// Gemma 2 (gemma2): every other layer slides a 4,096-token window (config.json sliding_window 4096, the even layers),
/// the rest attend to the whole 8,192-token context; GeGLU MLP (three matrices like SwiGLU); LM head tied to the input
/// embedding. Attention-logit soft-capping and the query scaling are free to compute and not costed. The model cards
/// state 2.6B, 9B and 27B; the test checks the geometry against Hugging Face's counts of the checkpoints.
/// </summary>
public static partial class ModelCatalog
{
    private const int Gemma2Window = 4096;

    /// <summary>google/gemma-2-27b-it: 46 layers (23 windowed), 4608 hidden, 32/16 heads of 128, FFN 36864, vocab 256000.</summary>
    public static readonly ModelSpec Gemma2_27B = new("google/gemma-2-27b-it",
        Layers: 46, Hidden: 4608, Heads: 32, KvHeads: 16, HeadDim: 128, Ffn: 36864, Vocab: 256000, TiedEmbeddings: true,
        MaxContext: 8192, AttentionKind.Gqa, Moe: null, Mla: null, PublishedParams: 27.2e9, PublishedActiveParams: 27.2e9)
    {
        OffsetNorm = true,
        Window = new AttentionWindow(Gemma2Window, Layers: 23, Chunked: false),
    };

    /// <summary>google/gemma-2-9b-it: 42 layers (21 windowed), 3584 hidden, 16/8 heads of 256, FFN 14336, vocab 256000.</summary>
    public static readonly ModelSpec Gemma2_9B = new("google/gemma-2-9b-it",
        Layers: 42, Hidden: 3584, Heads: 16, KvHeads: 8, HeadDim: 256, Ffn: 14336, Vocab: 256000, TiedEmbeddings: true,
        MaxContext: 8192, AttentionKind.Gqa, Moe: null, Mla: null, PublishedParams: 9.24e9, PublishedActiveParams: 9.24e9)
    {
        OffsetNorm = true,
        Window = new AttentionWindow(Gemma2Window, Layers: 21, Chunked: false),
    };

    /// <summary>google/gemma-2-2b-it: 26 layers (13 windowed), 2304 hidden, 8/4 heads of 256, FFN 9216, vocab 256000.</summary>
    public static readonly ModelSpec Gemma2_2B = new("google/gemma-2-2b-it",
        Layers: 26, Hidden: 2304, Heads: 8, KvHeads: 4, HeadDim: 256, Ffn: 9216, Vocab: 256000, TiedEmbeddings: true,
        MaxContext: 8192, AttentionKind.Gqa, Moe: null, Mla: null, PublishedParams: 2.61e9, PublishedActiveParams: 2.61e9)
    {
        OffsetNorm = true,
        Window = new AttentionWindow(Gemma2Window, Layers: 13, Chunked: false),
    };

    private static readonly ModelSpec[] Gemma2Models = [Gemma2_27B, Gemma2_9B, Gemma2_2B];

    // The pre-trained checkpoints share the instruct shapes.
    private static readonly ModelAlias[] Gemma2Aliases =
    [
        new("google/gemma-2-27b", Gemma2_27B),
        new("google/gemma-2-9b", Gemma2_9B),
        new("google/gemma-2-2b", Gemma2_2B),
    ];
}
