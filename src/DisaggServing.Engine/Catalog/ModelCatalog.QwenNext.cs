namespace DisaggServing.Engine.Catalog;

/// <summary>Qwen3-Next: hybrid models whose layers are three Gated DeltaNet layers to one of gated full attention.</summary>
public static partial class ModelCatalog
{
    /// <summary>
    /// Qwen/Qwen3-Next-80B-A3B-Instruct: 48 layers of 2048 hidden, 12 × (3 × Gated DeltaNet → MoE, 1 × gated attention →
    /// MoE) (full_attention_interval 4); attention 16/2 heads of 256 with an output gate; Gated DeltaNet 16 query/key heads
    /// and 32 value heads of 128, convolution kernel 4; 512 experts top-10 of width 512 plus one shared expert of 512;
    /// vocab 151936, untied; 262,144 positions. The card's "80B in total and 3B activated" rounds the 3.25B it activates
    /// without the embeddings (3.9B with them).
    /// </summary>
    public static readonly ModelSpec Qwen3Next80B = new("Qwen/Qwen3-Next-80B-A3B-Instruct",
        Layers: 48, Hidden: 2048, Heads: 16, KvHeads: 2, HeadDim: 256, Ffn: 5120, Vocab: 151936, TiedEmbeddings: false,
        MaxContext: 262144, AttentionKind.Gqa, Moe: new MoeSpec(RoutedExperts: 512, ExpertsPerToken: 10, SharedExperts: 1, ExpertFfn: 512, DenseLayers: 0),
        Mla: null, PublishedParams: 80e9, PublishedActiveParams: 3.9e9)
    {
        MtpLayers = 1,
        Linear = new LinearAttentionSpec(Layers: 36, KeyHeads: 16, ValueHeads: 32, KeyHeadDim: 128, ValueHeadDim: 128, ConvKernel: 4),
        AttentionOutputGate = true,
        OffsetNorm = true,
    };

    private static readonly ModelSpec[] QwenNextModels = [Qwen3Next80B];

    // The Thinking release, the base checkpoint and Qwen3-Coder-Next (trained from that base, the same config.json
    // shapes) keep the Instruct shapes; Qwen's -FP8 releases are block-scaled FP8.
    private static readonly ModelAlias[] QwenNextAliases =
    [
        new("Qwen/Qwen3-Next-80B-A3B-Thinking", Qwen3Next80B),
        new("Qwen/Qwen3-Coder-Next", Qwen3Next80B),
        new("Qwen/Qwen3-Coder-Next-FP8", Qwen3Next80B, DType.Fp8),
        new("Qwen/Qwen3-Next-80B-A3B-Base", Qwen3Next80B),
        new("Qwen/Qwen3-Next-80B-A3B-Instruct-FP8", Qwen3Next80B, DType.Fp8),
        new("Qwen/Qwen3-Next-80B-A3B-Thinking-FP8", Qwen3Next80B, DType.Fp8),
    ];
}
