namespace DisaggServing.Engine.Catalog;

/// <summary>
/// Nemotron-H (Hugging Face model_type <c>nemotron_h</c>): hybrid stacks whose every layer is one block, a Mamba2 mixer
/// (<c>M</c>), grouped-query attention (<c>*</c>), a squared-ReLU MLP (<c>-</c>) or squared-ReLU experts (<c>E</c>), in
/// the order config.json's <c>hybrid_override_pattern</c> gives (Nemotron 3 Super's experts are latent ones,
/// <see cref="MoeSpec.LatentSize"/>). Each is a <see cref="ModelSpec"/> of that many layers
/// whose <see cref="ModelSpec.Nas"/> counts the attention and MLP layers, whose <see cref="ModelSpec.Linear"/> holds the
/// Mamba2 layers and whose experts sit in the <c>E</c> layers. vLLM keeps their SSM state in FP32 unless the config says
/// otherwise (NemotronHForCausalLMConfig's default, "only float32 is known to have no accuracy issues").
/// </summary>
public static partial class ModelCatalog
{
    /// <summary>
    /// nvidia/NVIDIA-Nemotron-3-Nano-30B-A3B-BF16: 52 layers of 2688 hidden, <c>MEMEM*EMEMEM*EMEMEM*EMEMEM*EMEMEM*EMEMEMEM*EMEMEMEME</c>:
    /// 23 Mamba2 (64 heads of 64, 8 groups, state 128, kernel 4, chunks of 128), 6 attention (32/2 heads of 128) and 23
    /// expert layers (128 experts top-6 of width 1856 and one shared of 3712, counted as two of 1856: the same weights);
    /// vocab 131072, untied; 262,144 positions. 31.58B parameters, 3.58B active with the embeddings (the card: "31.6B
    /// total", "3.2B active" without them, 3.6B with).
    /// </summary>
    public static readonly ModelSpec Nemotron3Nano30B = NemotronH("nvidia/NVIDIA-Nemotron-3-Nano-30B-A3B-BF16",
        "MEMEM*EMEMEM*EMEMEM*EMEMEM*EMEMEM*EMEMEMEM*EMEMEMEME", hidden: 2688, heads: 32, kvHeads: 2, ffn: 1856,
        mambaHeads: 64, mambaHeadDim: 64, stateSize: 128, maxContext: 262144, published: 31.6e9, active: 3.6e9,
        moe: new MoeSpec(RoutedExperts: 128, ExpertsPerToken: 6, SharedExperts: 2, ExpertFfn: 1856, DenseLayers: 52 - 23) { BiasedSigmoidRouting = true });

    /// <summary>
    /// nvidia/NVIDIA-Nemotron-3-Super-120B-A12B-BF16: 88 layers of 4096 hidden, 40 Mamba2 (128 heads of 64, state 128), 8
    /// attention (32/2 heads of 128) and 40 latent-expert layers: 512 experts top-22, each 1024 (the latent) × 2688 × 1024,
    /// behind a 4096 → 1024 projection and before a 1024 → 4096 one, and one shared expert of 5376 on the hidden state
    /// (counted as two of 2688); vocab 131072, untied; 262,144 positions. The geometry gives 120.67B parameters (the
    /// checkpoint's 123.61B less its 2.94B multi-token-prediction layer, which serves only speculative decoding) and
    /// 12.77B active with the embeddings, as the checkpoint's tensors count.
    /// </summary>
    public static readonly ModelSpec Nemotron3Super120B = NemotronH("nvidia/NVIDIA-Nemotron-3-Super-120B-A12B-BF16",
        "MEMEMEM*EMEMEMEM*EMEMEMEM*EMEMEMEMEM*EMEMEMEMEM*EMEMEMEMEM*EMEMEMEMEM*EMEMEMEM*EMEMEMEME", hidden: 4096, heads: 32, kvHeads: 2,
        ffn: 2688, mambaHeads: 128, mambaHeadDim: 64, stateSize: 128, maxContext: 262144, published: 120.67e9, active: 12.77e9,
        moe: new MoeSpec(RoutedExperts: 512, ExpertsPerToken: 22, SharedExperts: 2, ExpertFfn: 2688, DenseLayers: 88 - 40) { LatentSize = 1024, BiasedSigmoidRouting = true }) with { MtpLayers = 1 };

    /// <summary>
    /// nvidia/NVIDIA-Nemotron-Nano-9B-v2: 56 layers of 4480 hidden, 27 Mamba2 (128 heads of 80, state 128), 4 attention
    /// (40/8 heads of 128) and 25 MLP layers of 15680; 131,072 positions. 8.89B parameters (the card: 8.89B).
    /// </summary>
    public static readonly ModelSpec NemotronNano9Bv2 = NemotronH("nvidia/NVIDIA-Nemotron-Nano-9B-v2",
        "M-M-M-MM-M-M-M*-M-M-M*-M-M-M-M*-M-M-M-M*-M-MM-M-M-M-M-M-", hidden: 4480, heads: 40, kvHeads: 8, ffn: 15680,
        mambaHeads: 128, mambaHeadDim: 80, stateSize: 128, maxContext: 131072, published: 8.89e9, active: 8.89e9);

    /// <summary>nvidia/NVIDIA-Nemotron-Nano-12B-v2: 62 layers of 5120 hidden, 28 Mamba2 (128 heads of 80), 6 attention (40/8) and 28 MLP layers of 20480. 12.31B parameters.</summary>
    public static readonly ModelSpec NemotronNano12Bv2 = NemotronH("nvidia/NVIDIA-Nemotron-Nano-12B-v2",
        "M-M-M-M*-M-M-M-M*-M-M-M-M*-M-M-M-M*-M-M-M-M*-M-M-M-M*-M-M-M-M-", hidden: 5120, heads: 40, kvHeads: 8, ffn: 20480,
        mambaHeads: 128, mambaHeadDim: 80, stateSize: 128, maxContext: 131072, published: 12.31e9, active: 12.31e9);

    /// <summary>nvidia/Nemotron-H-8B-Base-8K: 52 layers of 4096 hidden, 24 Mamba2 (128 heads of 64, state 128), 4 attention (32/8) and 24 MLP layers of 21504. 8.1B parameters.</summary>
    public static readonly ModelSpec NemotronH8B = NemotronH("nvidia/Nemotron-H-8B-Base-8K",
        "M-M-M-M*-M-M-M-M-M*-M-M-M-M-M*-M-M-M-M-M*-M-M-M-M-M-", hidden: 4096, heads: 32, kvHeads: 8, ffn: 21504,
        mambaHeads: 128, mambaHeadDim: 64, stateSize: 128, maxContext: 8192, published: 8.1e9, active: 8.1e9);

    /// <summary>nvidia/Nemotron-H-47B-Base-8K: 98 layers of 8192 hidden, 45 Mamba2 (256 heads of 64, state 256), 5 attention (64/8) and 48 MLP layers of 30720. 46.8B parameters.</summary>
    public static readonly ModelSpec NemotronH47B = NemotronH("nvidia/Nemotron-H-47B-Base-8K",
        "M-M-M-M-M-M-M-M-M*-M-M-M-M-M-M-M-M-M-M*-M-M-M-M-M*-M-M-M-M-M*-M-M-M-M-M-M-M---MM---M-M*-M-M-M-M-M-", hidden: 8192, heads: 64, kvHeads: 8, ffn: 30720,
        mambaHeads: 256, mambaHeadDim: 64, stateSize: 256, maxContext: 8192, published: 46.8e9, active: 46.8e9);

    /// <summary>nvidia/Nemotron-H-56B-Base-8K: 118 layers of 8192 hidden, 54 Mamba2 (256 heads of 64, state 256), 10 attention (64/8) and 54 MLP layers of 32768. 56.3B parameters.</summary>
    public static readonly ModelSpec NemotronH56B = NemotronH("nvidia/Nemotron-H-56B-Base-8K",
        "M-M-M-M*-M-M-M-M-M*-M-M-M-M-M*-M-M-M-M-M*-M-M-M-M-M*-M-M-M-M-M*-M-M-M-M-M*-M-M-M-M-M*-M-M-M-M-M*-M-M-M-M-M*-M-M-M-M-M-",
        hidden: 8192, heads: 64, kvHeads: 8, ffn: 32768, mambaHeads: 256, mambaHeadDim: 64, stateSize: 256, maxContext: 8192, published: 56.3e9, active: 56.3e9);

    private static readonly ModelSpec[] NemotronHModels = [Nemotron3Nano30B, Nemotron3Super120B, NemotronNano9Bv2, NemotronNano12Bv2, NemotronH8B, NemotronH47B, NemotronH56B];

    // The base and reasoning releases keep their family's shapes; NVIDIA's -FP8 and -NVFP4 exports are ModelOpt's (FP8 KV declared).
    private static readonly ModelAlias[] NemotronHAliases =
    [
        new("nvidia/NVIDIA-Nemotron-3-Nano-30B-A3B-Base-BF16", Nemotron3Nano30B),
        new("nvidia/NVIDIA-Nemotron-3-Nano-30B-A3B-FP8", Nemotron3Nano30B, DType.Fp8),
        new("nvidia/NVIDIA-Nemotron-3-Nano-30B-A3B-NVFP4", Nemotron3Nano30B, DType.Fp4),
        new("nvidia/NVIDIA-Nemotron-3-Super-120B-A12B-FP8", Nemotron3Super120B, DType.Fp8),
        new("nvidia/NVIDIA-Nemotron-3-Super-120B-A12B-NVFP4", Nemotron3Super120B, DType.Fp4),
        new("nvidia/NVIDIA-Nemotron-Nano-9B-v2-Base", NemotronNano9Bv2),
        new("nvidia/NVIDIA-Nemotron-Nano-9B-v2-FP8", NemotronNano9Bv2, DType.Fp8),
        new("nvidia/NVIDIA-Nemotron-Nano-9B-v2-NVFP4", NemotronNano9Bv2, DType.Fp4),
        new("nvidia/NVIDIA-Nemotron-Nano-12B-v2-Base", NemotronNano12Bv2),
        new("nvidia/Nemotron-H-8B-Reasoning-128K", NemotronH8B, MaxContext: 131072),
        new("nvidia/Nemotron-H-47B-Reasoning-128K", NemotronH47B, MaxContext: 131072),
    ];

    // A Nemotron-H stack from its pattern: Mamba2 layers of 8 groups, kernel 4 and chunks of 128 with an FP32 state; GQA
    // heads of 128; vocab 131072, untied.
    private static ModelSpec NemotronH(string id, string pattern, int hidden, int heads, int kvHeads, int ffn, int mambaHeads,
        int mambaHeadDim, int stateSize, int maxContext, double published, double active, MoeSpec? moe = null)
    {
        var layout = NemotronHPattern.Read(pattern, id);
        return new ModelSpec(id, pattern.Length, hidden, heads, kvHeads, HeadDim: 128, ffn, Vocab: 131072, TiedEmbeddings: false,
            maxContext, AttentionKind.Gqa, moe, Mla: null, published, active)
        {
            Nas = new NasLayout(layout.Attention, layout.Mlp, (long)layout.Mlp * ffn),
            Linear = LinearAttentionSpec.Mamba2(layout.Mamba, mambaHeads, mambaHeadDim, groups: 8, stateSize, convKernel: 4, chunk: 128, stateBytes: 4),
            GatedMlp = false,
        };
    }
}
