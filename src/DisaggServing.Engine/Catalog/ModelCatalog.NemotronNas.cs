namespace DisaggServing.Engine.Catalog;

/// <summary>
/// NVIDIA's NAS-derived Llama-Nemotron models (model_type nemotron-nas, DeciLMForCausalLM): Llama 3 layers of which a
/// neural architecture search dropped some attention sub-layers and MLPs and re-sized the rest (<see cref="NasLayout"/>).
/// The layouts are summed from each checkpoint's config.json block_configs (widths from ffn_mult by DeciLM's rule,
/// <see cref="NasLayout.MlpWidth"/>); every kept attention has 8 KV heads of 128. Their configuration class (DeciLMConfig)
/// ships with the checkpoint, so engines load them with <c>--trust-remote-code</c> (<see cref="ModelSpec.RemoteCode"/>).
/// </summary>
public static partial class ModelCatalog
{
    /// <summary>
    /// nvidia/Llama-3_3-Nemotron-Super-49B-v1: 80 layers of Llama-3.3-70B's 8192 hidden and 64 query heads, 49 of them
    /// with attention; 80 MLPs of ffn_mult 0.5-5.25 (2,816-28,672 wide, 1,642,496 summed), vocab 128256, 131,072-token
    /// context. Its card: 49B parameters, sized to fit one H200.
    /// </summary>
    public static readonly ModelSpec NemotronSuper49B = new("nvidia/Llama-3_3-Nemotron-Super-49B-v1",
        Layers: 80, Hidden: 8192, Heads: 64, KvHeads: 8, HeadDim: 128, Ffn: 28672, Vocab: 128256, TiedEmbeddings: false,
        MaxContext: 131072, AttentionKind.Gqa, Moe: null, Mla: null, PublishedParams: 49.9e9, PublishedActiveParams: 49.9e9)
    {
        Nas = new NasLayout(AttentionLayers: 49, MlpLayers: 80, MlpWidthSum: 1_642_496), RemoteCode = true,
    };

    /// <summary>
    /// nvidia/Llama-3_1-Nemotron-Ultra-253B-v1: 162 layers of Llama-3.1-405B's 16384 hidden and 128 query heads, 64 of
    /// them with attention; 81 MLPs of ffn_mult 0.4875-39 (5,376-425,984 wide: a few layers hold one very wide MLP in place
    /// of several, 4,327,168 summed), vocab 128256, 131,072-token context. Its card: 253B parameters, one 8 × H100 node.
    /// </summary>
    public static readonly ModelSpec NemotronUltra253B = new("nvidia/Llama-3_1-Nemotron-Ultra-253B-v1",
        Layers: 162, Hidden: 16384, Heads: 128, KvHeads: 8, HeadDim: 128, Ffn: 425984, Vocab: 128256, TiedEmbeddings: false,
        MaxContext: 131072, AttentionKind.Gqa, Moe: null, Mla: null, PublishedParams: 253e9, PublishedActiveParams: 253e9)
    {
        Nas = new NasLayout(AttentionLayers: 64, MlpLayers: 81, MlpWidthSum: 4_327_168), RemoteCode = true,
    };

    private static readonly ModelSpec[] NemotronNasModels = [NemotronSuper49B, NemotronUltra253B];

    // Super v1.5 is a further post-training of v1 (its card: the same 49B network derived from Llama-3.3-70B-Instruct by
    // NAS, DeciLMForCausalLM). NVIDIA's -FP8 and -FP4 (NVFP4) releases are ModelOpt exports of the same shapes.
    private static readonly ModelAlias[] NemotronNasAliases =
    [
        new("nvidia/Llama-3_3-Nemotron-Super-49B-v1-FP8", NemotronSuper49B, DType.Fp8),
        new("nvidia/Llama-3_3-Nemotron-Super-49B-v1_5", NemotronSuper49B),
        new("nvidia/Llama-3_3-Nemotron-Super-49B-v1_5-FP8", NemotronSuper49B, DType.Fp8),
        new("nvidia/Llama-3_3-Nemotron-Super-49B-v1_5-NVFP4", NemotronSuper49B, DType.Fp4),
        new("nvidia/Llama-3_1-Nemotron-Ultra-253B-v1-FP8", NemotronUltra253B, DType.Fp8),
    ];
}
