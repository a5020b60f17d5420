namespace DisaggServing.Engine.Catalog;

/// <summary>
/// Llama 4 MoE models (text stack; the vision encoder, <see cref="ModelSpec.Vision"/>, is left out of weights and steps). Every expert layer has 1 shared expert beside the
/// routed ones, top-1 routing; three of every four layers use RoPE with chunked local attention over 8,192-token chunks
/// (attention_chunk_size) and every fourth is a global NoPE layer (no_rope_layer_interval 4).
/// </summary>
public static partial class ModelCatalog
{
    // Both models' vision encoder (vision_config): 34 layers of 1,408.
    private static readonly VisionEncoderSpec Llama4Vision = new(34, 1408);

    /// <summary>
    /// meta-llama/Llama-4-Scout-17B-16E-Instruct: 48 layers, 5120 hidden, 40/8 heads of 128, 16 experts top-1 + 1 shared
    /// of width 8192 in every layer (interleave_moe_layer_step 1), vocab 202048, chunked attention 8192 on 36 layers.
    /// The card's 109B total includes the vision encoder.
    /// </summary>
    public static readonly ModelSpec Llama4Scout = new("meta-llama/Llama-4-Scout-17B-16E-Instruct",
        Layers: 48, Hidden: 5120, Heads: 40, KvHeads: 8, HeadDim: 128, Ffn: 16384, Vocab: 202048, TiedEmbeddings: false,
        MaxContext: 10485760, AttentionKind.Gqa, Moe: new MoeSpec(RoutedExperts: 16, ExpertsPerToken: 1, SharedExperts: 1, ExpertFfn: 8192, DenseLayers: 0),
        Mla: null, PublishedParams: 109e9, PublishedActiveParams: 17e9) { Window = new AttentionWindow(8192, Layers: 36, Chunked: true), Vision = Llama4Vision };

    /// <summary>
    /// meta-llama/Llama-4-Maverick-17B-128E-Instruct: 48 layers, 5120 hidden, 40/8 heads of 128; every other layer
    /// (interleave_moe_layer_step 2) has 128 experts top-1 + 1 shared of width 8192, the others a dense MLP of 16384
    /// (intermediate_size_mlp); vocab 202048, chunked attention 8192 on 36 layers.
    /// </summary>
    public static readonly ModelSpec Llama4Maverick = new("meta-llama/Llama-4-Maverick-17B-128E-Instruct",
        Layers: 48, Hidden: 5120, Heads: 40, KvHeads: 8, HeadDim: 128, Ffn: 16384, Vocab: 202048, TiedEmbeddings: false,
        MaxContext: 1048576, AttentionKind.Gqa, Moe: new MoeSpec(RoutedExperts: 128, ExpertsPerToken: 1, SharedExperts: 1, ExpertFfn: 8192, DenseLayers: 24),
        Mla: null, PublishedParams: 400e9, PublishedActiveParams: 17e9) { Window = new AttentionWindow(8192, Layers: 36, Chunked: true), Vision = Llama4Vision };

    private static readonly ModelSpec[] Llama4Models = [Llama4Scout, Llama4Maverick];

    // Meta's own -FP8 Maverick quantizes the routed experts (attention stays BF16; costed as FP8 throughout).
    private static readonly ModelAlias[] Llama4Aliases =
    [
        new("meta-llama/Llama-4-Scout-17B-16E", Llama4Scout),
        new("nvidia/Llama-4-Scout-17B-16E-Instruct-FP8", Llama4Scout, DType.Fp8),
        new("nvidia/Llama-4-Scout-17B-16E-Instruct-FP4", Llama4Scout, DType.Fp4),
        new("RedHatAI/Llama-4-Scout-17B-16E-Instruct-FP8-dynamic", Llama4Scout, DType.Fp8),

        new("meta-llama/Llama-4-Maverick-17B-128E", Llama4Maverick),
        new("meta-llama/Llama-4-Maverick-17B-128E-Instruct-FP8", Llama4Maverick, DType.Fp8),
        new("nvidia/Llama-4-Maverick-17B-128E-Instruct-FP8", Llama4Maverick, DType.Fp8),
        new("nvidia/Llama-4-Maverick-17B-128E-Instruct-FP4", Llama4Maverick, DType.Fp4),
        new("nvidia/Llama-4-Maverick-17B-128E-Instruct-NVFP4", Llama4Maverick, DType.Fp4),
        new("RedHatAI/Llama-4-Maverick-17B-128E-Instruct-FP8", Llama4Maverick, DType.Fp8),
    ];
}
