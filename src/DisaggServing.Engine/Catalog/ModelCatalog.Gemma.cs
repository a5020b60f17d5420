namespace DisaggServing.Engine.Catalog;

/// <summary>
/// Gemma 3 (gemma3): the text stack of Google's image-text checkpoints (the 1B is text only). Five of every six layers
/// slide a 1,024-token window (512 on the 1B; sliding_window_pattern 6: layer i is global when i + 1 is a multiple of 6); the MLP is
/// GeGLU, three matrices like SwiGLU; the LM head is tied to the input embedding. The SigLIP vision encoder (417M, 27
/// layers of 1,152: <see cref="ModelSpec.Vision"/>) is left out of weights and steps: the catalog serves text. Published counts are the Gemma 3 technical report's embedding plus non-embedding
/// parameters (its Table 1), which leave the vision encoder out too.
/// </summary>
public static partial class ModelCatalog
{
    private const int GemmaWindow = 1024;

    /// <summary>google/gemma-3-27b-it: 62 layers (52 windowed), 5376 hidden, 32/16 heads of 128, FFN 21504, vocab 262208, 131,072-token context.</summary>
    public static readonly ModelSpec Gemma3_27B = new("google/gemma-3-27b-it",
        Layers: 62, Hidden: 5376, Heads: 32, KvHeads: 16, HeadDim: 128, Ffn: 21504, Vocab: 262208, TiedEmbeddings: true,
        MaxContext: 131072, AttentionKind.Gqa, Moe: null, Mla: null, PublishedParams: 27.016e9, PublishedActiveParams: 27.016e9)
    {
        OffsetNorm = true,
        Window = new AttentionWindow(GemmaWindow, Layers: 52, Chunked: false),
        Vision = VisionEncoderSpec.So400m,
    };

    /// <summary>google/gemma-3-12b-it: 48 layers (40 windowed), 3840 hidden, 16/8 heads of 256, FFN 15360, vocab 262208, 131,072-token context.</summary>
    public static readonly ModelSpec Gemma3_12B = new("google/gemma-3-12b-it",
        Layers: 48, Hidden: 3840, Heads: 16, KvHeads: 8, HeadDim: 256, Ffn: 15360, Vocab: 262208, TiedEmbeddings: true,
        MaxContext: 131072, AttentionKind.Gqa, Moe: null, Mla: null, PublishedParams: 11.771e9, PublishedActiveParams: 11.771e9)
    {
        OffsetNorm = true,
        Window = new AttentionWindow(GemmaWindow, Layers: 40, Chunked: false),
        Vision = VisionEncoderSpec.So400m,
    };

    /// <summary>google/gemma-3-4b-it: 34 layers (29 windowed), 2560 hidden, 8/4 heads of 256, FFN 10240, vocab 262208, 131,072-token context.</summary>
    public static readonly ModelSpec Gemma3_4B = new("google/gemma-3-4b-it",
        Layers: 34, Hidden: 2560, Heads: 8, KvHeads: 4, HeadDim: 256, Ffn: 10240, Vocab: 262208, TiedEmbeddings: true,
        MaxContext: 131072, AttentionKind.Gqa, Moe: null, Mla: null, PublishedParams: 3.884e9, PublishedActiveParams: 3.884e9)
    {
        OffsetNorm = true,
        Window = new AttentionWindow(GemmaWindow, Layers: 29, Chunked: false),
        Vision = VisionEncoderSpec.So400m,
    };

    /// <summary>
    /// google/gemma-3-1b-it (text only): 26 layers (22 windowed, over 512 tokens), 1152 hidden, 4/1 heads of 256, FFN 6912,
    /// vocab 262144, 32,768-token context.
    /// </summary>
    public static readonly ModelSpec Gemma3_1B = new("google/gemma-3-1b-it",
        Layers: 26, Hidden: 1152, Heads: 4, KvHeads: 1, HeadDim: 256, Ffn: 6912, Vocab: 262144, TiedEmbeddings: true,
        MaxContext: 32768, AttentionKind.Gqa, Moe: null, Mla: null, PublishedParams: 1.0e9, PublishedActiveParams: 1.0e9)
    {
        OffsetNorm = true,
        Window = new AttentionWindow(512, Layers: 22, Chunked: false),
    };

    private static readonly ModelSpec[] GemmaModels = [Gemma3_27B, Gemma3_12B, Gemma3_4B, Gemma3_1B];

    // The pre-trained (-pt) checkpoints share the instruct shapes; Red Hat's -FP8-dynamic releases are per-channel FP8.
    private static readonly ModelAlias[] GemmaAliases =
    [
        new("google/gemma-3-27b-pt", Gemma3_27B),
        new("google/gemma-3-12b-pt", Gemma3_12B),
        new("google/gemma-3-4b-pt", Gemma3_4B),
        new("google/gemma-3-1b-pt", Gemma3_1B),
        new("RedHatAI/gemma-3-27b-it-FP8-dynamic", Gemma3_27B, DType.Fp8),
        new("RedHatAI/gemma-3-12b-it-FP8-dynamic", Gemma3_12B, DType.Fp8),
        new("RedHatAI/gemma-3-4b-it-FP8-dynamic", Gemma3_4B, DType.Fp8),
    ];
}
