namespace DisaggServing.Engine.Catalog;

/// <summary>
/// A model's geometry, as its Hugging Face config.json gives it, and what follows from it: parameter counts,
/// FLOPs per token and KV bytes per token. MLPs and experts are SwiGLU (3 matrices) but where <see cref="GatedMlp"/> says
/// otherwise (GPT-J's and Falcon's GELU MLPs, Nemotron-H's squared-ReLU MLPs and experts: 2 matrices). Every layer is
/// alike but where <see cref="Nas"/> says which layers keep their attention and how wide each MLP is, or <see cref="Linear"/>
/// which layers run linear attention instead of full attention. A Nemotron-H stack, whose every layer is one block (a
/// Mamba2 mixer, attention, an MLP or experts), has both: <see cref="Nas"/> counts its attention and MLP layers,
/// <see cref="Linear"/> its Mamba2 layers and <see cref="MoeSpec.DenseLayers"/> leaves its expert layers.
/// </summary>
/// <param name="Id">Hugging Face id.</param>
/// <param name="Layers">num_hidden_layers.</param>
/// <param name="Hidden">hidden_size.</param>
/// <param name="Heads">num_attention_heads.</param>
/// <param name="KvHeads">num_key_value_heads (GQA); for MLA the heads after up-projection.</param>
/// <param name="HeadDim">head_dim (GQA).</param>
/// <param name="Ffn">intermediate_size of the dense MLP (with <see cref="Nas"/>, the widest one's).</param>
/// <param name="Vocab">vocab_size.</param>
/// <param name="TiedEmbeddings">tie_word_embeddings.</param>
/// <param name="MaxContext">max_position_embeddings.</param>
/// <param name="Attention">GQA or MLA.</param>
/// <param name="Moe">Experts, or null for a dense model.</param>
/// <param name="Mla">Latent attention geometry, or null for GQA.</param>
/// <param name="PublishedParams">Total parameters the model card states (a check on the geometry).</param>
/// <param name="PublishedActiveParams">Active parameters per token the model card states.</param>
public sealed record ModelSpec(
    string Id, int Layers, int Hidden, int Heads, int KvHeads, int HeadDim, int Ffn, int Vocab, bool TiedEmbeddings,
    int MaxContext, AttentionKind Attention, MoeSpec? Moe, MlaSpec? Mla, double PublishedParams, double PublishedActiveParams)
{
    /// <summary>
    /// The weight format the checkpoint ships in when it is quantized (FP8, or FP4 for NVFP4/MXFP4 checkpoints): the
    /// <c>--dtype</c> it implies, which a different <c>--dtype</c> contradicts. Null for a BF16 checkpoint, which an
    /// engine may serve as is or quantize on load.
    /// </summary>
    public DType? CheckpointDtype { get; init; }

    /// <summary>
    /// The KV-cache format the checkpoint's quantization config declares (ModelOpt's <c>kv_cache_quant_algo</c> in
    /// hf_quant_config.json or config.json's quantization_config), which vLLM's <c>--kv-cache-dtype auto</c> takes when
    /// the weights are served in the checkpoint's own format; null when it declares none (BF16 checkpoints, DeepSeek's
    /// and Qwen's own FP8 releases, compressed-tensors ones without a kv_cache_scheme).
    /// </summary>
    public DType? CheckpointKvDtype { get; init; }

    /// <summary>
    /// True when the FP8 checkpoint scales its weights per 128 × 128 block (DeepSeek's and Qwen's own FP8 releases,
    /// GLM-5-FP8), which engines run through block-scaled FP8 GEMMs after a per-token-group quantization of their
    /// input; false for per-tensor (NVIDIA ModelOpt) and per-channel (Red Hat, Meta) FP8 and for other formats.
    /// </summary>
    public bool BlockScaledFp8 { get; init; }

    /// <summary>
    /// True when the checkpoint quantizes each linear layer's input at run time with a scale per token (FP8 or INT8 weights
    /// with per-channel scales: Red Hat's <c>-FP8-dynamic</c> and <c>quantized.w8a8</c>, Meta's FBGEMM row-wise FP8), which
    /// engines serve as a per-token quantization kernel before every scaled GEMM (<see cref="Performance.EngineProfile.PerTokenScaledGemmRate"/>);
    /// false for static per-tensor activation scales (ModelOpt, Red Hat's plain <c>-FP8</c>), block scales and weight-only formats.
    /// </summary>
    public bool PerTokenActivationScales { get; init; }

    /// <summary>
    /// True when the quantized checkpoint (<see cref="CheckpointDtype"/>) quantizes only the routed experts and keeps
    /// attention, shared experts, dense MLPs and the LM head in BF16, as compressed-tensors' ignore list leaves them:
    /// Kimi K2-Thinking's, K2.5's and K2.6's INT4 W4A16 experts (group 32). MXFP4 checkpoints always do
    /// (<see cref="DTypes.NonExpertWeights"/>).
    /// </summary>
    public bool QuantizedExpertsOnly { get; init; }

    /// <summary>
    /// The format of the weights outside the routed experts when the model is served with <paramref name="weights"/>:
    /// BF16 for an experts-only checkpoint served in its own format (<see cref="QuantizedExpertsOnly"/>) and for MXFP4,
    /// else <paramref name="weights"/>.
    /// </summary>
    public DType DenseWeights(DType weights) =>
        weights == CheckpointDtype && NonExpertCheckpointDtype is { } own ? own
        : QuantizedExpertsOnly && weights == CheckpointDtype ? DType.Bf16 : weights.NonExpertWeights();

    /// <summary>
    /// The format the checkpoint keeps its weights outside the routed experts in, where it is neither the experts' nor
    /// BF16: DeepSeek-V4's block-FP8 attention and shared experts beside its MXFP4 experts. Null elsewhere.
    /// </summary>
    public DType? NonExpertCheckpointDtype { get; init; }

    /// <summary>DeepSeek-V4's compressed hybrid attention (its layers' windows, compressed caches and indexer), or null.</summary>
    public CompressedAttentionSpec? Compressed { get; init; }

    /// <summary>
    /// True when q and k are RMS-normalized over all heads at once (MiniMax-M2: q_norm over 48 × 128, k_norm over 8 × 128),
    /// not per head. Split by TP, each rank holds only its heads, so the engine all-reduces every token's squared sums
    /// across the ranks before it normalizes: one more all-reduce, of two floats a token, in every layer (vLLM's
    /// MiniMaxText01RMSNormTP.forward_qk, vllm/model_executor/layers/mamba/linear_attn.py, which minimax_m2.py calls;
    /// SGLang's MiniMaxM2RMSNormTP all-reduces the same sums, newer builds in one fused all-reduce + norm kernel).
    /// </summary>
    public bool QkNormAcrossHeads { get; init; }

    /// <summary>
    /// True for gated MLPs and experts (SwiGLU/GeGLU: gate, up and down projections); false for plain ones (GPT-J's and
    /// Falcon's GELU MLP, Nemotron-H's squared-ReLU MLPs and experts: up and down only), which have two matrices and stream
    /// the intermediate twice (written by the up projection's activation, read by the down projection) instead of three times.
    /// </summary>
    public bool GatedMlp { get; init; } = true;

    /// <summary>
    /// The layers' differences where they differ (NAS-derived Llama-Nemotron: some layers without attention, MLPs of their
    /// own widths); null when every layer has the attention and the <see cref="Ffn"/>-wide MLP of the others.
    /// </summary>
    public NasLayout? Nas { get; init; }

    /// <summary>
    /// True when the checkpoint's configuration or tokenizer is code shipped in its Hugging Face repository (its
    /// config.json's <c>auto_map</c>: DeciLM's nemotron-nas config, Kimi K2's tiktoken tokenizer), which vLLM loads only
    /// when served with <c>--trust-remote-code</c>.
    /// </summary>
    public bool RemoteCode { get; init; }

    /// <summary>The vision encoder of a multimodal checkpoint, not run by text steps; null for a text-only one.</summary>
    public VisionEncoderSpec? Vision { get; init; }

    /// <summary>
    /// A hybrid model's linear-attention layers (Qwen3-Next's Gated DeltaNet), which keep a recurrent state per sequence
    /// instead of a KV cache; null where every layer has full attention.
    /// </summary>
    public LinearAttentionSpec? Linear { get; init; }

    /// <summary>
    /// True where the RMSNorms scale by one plus their stored weight (Gemma's GemmaRMSNorm, which Qwen3-Next and Qwen3.5
    /// use too): vLLM's all-reduce fusion pass matches such a norm only from the release that added its pattern
    /// (<see cref="Performance.ReleaseDefaults.DefaultAllReduceFusion"/>).
    /// </summary>
    public bool OffsetNorm { get; init; }

    /// <summary>
    /// True where full attention gates its output per head and channel with a sigmoid of the input (Qwen3-Next's
    /// <c>attn_output_gate</c>): the query projection is twice as wide.
    /// </summary>
    public bool AttentionOutputGate { get; init; }

    /// <summary>
    /// Whether its prompts can be served from a prefix cache: not a hybrid's (<see cref="Linear"/>), whose recurrent state
    /// a cached prefix's KV would not rebuild (vLLM serves them uncached; its Mamba prefix caching is experimental), so the
    /// simulator, the Worker and the manifests' <c>--no-enable-prefix-caching</c> all leave it off.
    /// </summary>
    public bool PrefixCacheable => Linear is null;

    /// <summary>Layers with full attention, and so with a KV cache: all of them but where <see cref="Nas"/> drops some or <see cref="Linear"/> holds them.</summary>
    public int AttentionLayers => Nas?.AttentionLayers ?? Layers - (Linear?.Layers ?? 0);

    /// <summary>Parameters of the linear-attention layers, all of them (0 without any).</summary>
    public double LinearAttentionParams => Linear is { } linear ? linear.Layers * linear.ParamsPerLayer(Hidden) : 0;

    /// <summary>Bytes of one sequence's recurrent state over every linear-attention layer, across all TP ranks (0 without any).</summary>
    public double RecurrentStateBytesPerSequence => Linear?.StateBytesPerSequence ?? 0;

    /// <summary>Layers with a dense MLP: those without experts, fewer where <see cref="Nas"/> drops some.</summary>
    public int DenseMlpLayers => Nas?.MlpLayers ?? DenseLayers;

    /// <summary>Parameters of every dense MLP of the stack.</summary>
    public double DenseMlpParamsAllLayers => Nas is { } nas ? (double)DenseMlpMatrices * Hidden * nas.MlpWidthSum : DenseLayers * DenseMlpParams;

    /// <summary>The dense MLP's width averaged over all layers (a dropped MLP counting 0): <see cref="Ffn"/> but with <see cref="Nas"/>.</summary>
    public double MeanDenseMlpWidth => Nas is { } nas ? (double)nas.MlpWidthSum / Layers : Ffn;

    /// <summary>
    /// The share of the layers' two sub-layer slots (mixer and MLP) that the stack fills: 1 but with <see cref="Nas"/>, whose
    /// layers keep their attention, Mamba2 mixer, MLP or experts only where they have them.
    /// </summary>
    public double SublayerShare => Nas is { } nas ? (nas.AttentionLayers + (Linear?.Layers ?? 0) + nas.MlpLayers + MoeLayers) / (2.0 * Layers) : 1;

    /// <summary>Weight matrices of one dense MLP: 3 gated, 2 plain.</summary>
    public int DenseMlpMatrices => GatedMlp ? 3 : 2;

    /// <summary>The catalogued model whose geometry this checkpoint shares, when <see cref="Id"/> is an alias; null for a catalogued id.</summary>
    public string? AliasOf { get; init; }

    /// <summary>Layers that attend to a bounded window or chunk (gpt-oss, Llama 4), or null when every layer attends to the whole context.</summary>
    public AttentionWindow? Window { get; init; }

    /// <summary>
    /// The full-attention layers' own head geometry where it differs from the windowed ones' (Gemma 4), or null when
    /// every attention layer has <see cref="KvHeads"/> heads of <see cref="HeadDim"/>. Only with a <see cref="Window"/>:
    /// the layers it does not window are these.
    /// </summary>
    public GlobalAttentionSpec? GlobalAttention { get; init; }

    // Attention layers of each kind: windowed (the model's own heads) and full (GlobalAttention's, where set).
    private int GlobalLayers => Window is { } w ? AttentionLayers - w.Layers : AttentionLayers;

    private int WindowedLayers => AttentionLayers - GlobalLayers;

    /// <summary>
    /// The share of a token's attention cost that the windowed layers carry, by what the cost counts: query-key pairs'
    /// FLOPs (<paramref name="kv"/> false) or KV bytes on one of <paramref name="tp"/> ranks (true: KV heads replicated
    /// where TP exceeds them). Their share of the layers but with <see cref="GlobalAttention"/>, whose full layers are wider.
    /// </summary>
    public double WindowedShare(bool kv, int tp = 1)
    {
        if (Window is not { } w) return 0;
        if (GlobalAttention is not { } g) return (double)w.Layers / Layers;
        double windowed = w.Layers * (kv ? 2.0 * Math.Max(1, KvHeads / tp) * HeadDim : HeadDim);
        double global = GlobalLayers * (kv ? 2.0 * Math.Max(1, g.KvHeads / tp) * g.HeadDim : g.HeadDim);
        return windowed / (windowed + global);
    }

    /// <summary>KV-cache elements one token stores in one attention layer of each kind on one of <paramref name="tp"/> ranks (GQA; KV heads replicated where TP exceeds them).</summary>
    public double KvElementsPerRankPerLayer(int tp)
    {
        var windowed = 2.0 * Math.Max(1, KvHeads / tp) * HeadDim;
        if (GlobalAttention is not { } g) return windowed;
        var global = 2.0 * Math.Max(1, g.KvHeads / tp) * g.HeadDim;
        return (WindowedLayers * windowed + GlobalLayers * global) / AttentionLayers;
    }

    /// <summary>
    /// Multi-token-prediction layers the checkpoint ships beside its stack (config.json's <c>num_nextn_predict_layers</c>,
    /// <c>mtp_num_hidden_layers</c> or <c>num_mtp_modules</c>): loaded only to draft tokens for speculative decoding
    /// (<see cref="Performance.SpeculativeMethod.Mtp"/>), so the geometry leaves them out; 0 when it has none.
    /// </summary>
    public int MtpLayers { get; init; }

    /// <summary>True when each attention head has a learned sink logit (gpt-oss): free to compute, but not every attention kernel takes one (<see cref="Performance.EngineProfile.SinkAttentionScaleBeforeHopper"/>).</summary>
    public bool AttentionSinks { get; init; }

    /// <summary>
    /// True when the model's chat format is OpenAI's harmony (gpt-oss): vLLM's chat endpoint renders it with the
    /// openai_harmony library instead of the Hugging Face Jinja chat template
    /// (<see cref="Performance.EngineProfile.ChatTemplateSeconds"/>).
    /// </summary>
    public bool HarmonyChat { get; init; }

    /// <summary>
    /// Layers the KV pool is sized for per token: all of them, but windowed layers whose window is short
    /// (<see cref="AttentionWindow.HoldsWholeContexts"/> false), which hold a few blocks per sequence whatever its length.
    /// </summary>
    public int PooledKvLayers => Window is { HoldsWholeContexts: false } w ? Layers - w.Layers : Layers;

    /// <summary>
    /// Parameters of one layer's MLA down-projections (q_a and kv_a, fused as fused_qkv_a_proj): every TP rank holds
    /// and multiplies them whole, since each rank's heads need the whole latent (vLLM's DeepseekV2MLAAttention builds
    /// them with disable_tp=True, SGLang's as a ReplicatedLinear), and the DSA indexer's projections (wq_b, wk,
    /// weights_proj), which both engines replicate too. 0 for GQA models.
    /// </summary>
    public double ReplicatedAttentionParamsPerLayer => Compressed is { } c ? c.ReplicatedParams(Layers, Hidden) / Layers
        : Mla is { } m
        ? (double)Hidden * ((m.QLoraRank > 0 ? m.QLoraRank : 0) + m.KvLoraRank + m.QkRopeHeadDim) + IndexerParams(m)
        : 0;

    // The DSA indexer's projections: wq_b (from the q latent to its heads), wk (one key) and weights_proj (a gate per head),
    // the mean over the layers (under IndexShare only the indexed layers hold them).
    private double IndexerParams(MlaSpec m) => m.IndexerHeads > 0
        ? ((double)(m.QLoraRank > 0 ? m.QLoraRank : Hidden) * m.IndexerHeads * m.IndexerHeadDim + (double)Hidden * (m.IndexerHeadDim + m.IndexerHeads)) * m.IndexedShare(Layers)
        : 0;

    /// <summary>Parameters of one layer's attention projections (with <see cref="GlobalAttention"/>, the mean over the attention layers).</summary>
    public double AttentionParamsPerLayer => Compressed is { } c ? c.Params(Layers, Hidden, Heads) / Layers
        : Mla is { } m
        ? (m.QLoraRank > 0 ? (double)Hidden * m.QLoraRank + (double)m.QLoraRank * Heads * (m.QkNopeHeadDim + m.QkRopeHeadDim)
                           : (double)Hidden * Heads * (m.QkNopeHeadDim + m.QkRopeHeadDim))
          + (double)Hidden * (m.KvLoraRank + m.QkRopeHeadDim)
          + (double)m.KvLoraRank * Heads * (m.QkNopeHeadDim + m.VHeadDim)
          + (double)Heads * m.VHeadDim * Hidden
          + IndexerParams(m)
        : GlobalAttention is { } g
            ? (WindowedLayers * GqaAttentionParams(KvHeads, HeadDim, values: true) + GlobalLayers * GqaAttentionParams(g.KvHeads, g.HeadDim, !g.KeysAreValues)) / AttentionLayers
            : GqaAttentionParams(KvHeads, HeadDim, values: true);

    // One GQA layer's projections: queries (twice as wide with an output gate), keys, values where it has them, output.
    private double GqaAttentionParams(int kvHeads, int headDim, bool values) =>
        (AttentionOutputGate ? 3.0 : 2.0) * Hidden * Heads * headDim + (values ? 2.0 : 1.0) * Hidden * kvHeads * headDim;

    /// <summary>Parameters of one dense MLP (<see cref="DenseMlpMatrices"/> matrices of hidden × FFN; with <see cref="Nas"/>, the widest).</summary>
    public double DenseMlpParams => (double)DenseMlpMatrices * Hidden * Ffn;

    /// <summary>Parameters of one routed expert (<see cref="DenseMlpMatrices"/> matrices of <see cref="ExpertInput"/> × the expert width).</summary>
    public double ExpertParams => Moe is { } moe ? (double)DenseMlpMatrices * ExpertInput * moe.ExpertFfn : 0;

    /// <summary>The width a routed expert's input and output have: the hidden size, or the latent one of latent experts (<see cref="MoeSpec.LatentSize"/>).</summary>
    public int ExpertInput => Moe is { LatentSize: > 0 } latent ? latent.LatentSize : Hidden;

    /// <summary>
    /// Parameters of one MoE layer that every token runs through: its shared experts (at the hidden size, the routed
    /// width each), the router, and latent experts' down and up projections (hidden × latent each).
    /// </summary>
    public double MoeDenseParamsPerLayer => Moe is { } moe ? SharedExpertParamsPerLayer + (double)Hidden * moe.RoutedExperts + 2.0 * Hidden * moe.LatentSize : 0;

    /// <summary>Parameters of one MoE layer's shared experts.</summary>
    public double SharedExpertParamsPerLayer => Moe is { } moe ? (double)moe.SharedExperts * DenseMlpMatrices * Hidden * moe.ExpertFfn : 0;

    /// <summary>Layers with a dense MLP.</summary>
    public int DenseLayers => Moe?.DenseLayers ?? Layers;

    /// <summary>Layers with experts.</summary>
    public int MoeLayers => Layers - DenseLayers;

    /// <summary>Input embedding plus LM head parameters.</summary>
    public double EmbeddingParams => (double)Vocab * Hidden * (TiedEmbeddings ? 1 : 2);

    /// <summary>Parameters of the LM head (the output projection computed for each sampled token).</summary>
    public double LmHeadParams => (double)Vocab * Hidden;

    /// <summary>Routed experts plus what every token runs through (<see cref="MoeDenseParamsPerLayer"/>), per MoE layer.</summary>
    public double MoeLayerParams => Moe is { } moe ? moe.RoutedExperts * ExpertParams + MoeDenseParamsPerLayer : 0;

    /// <summary>All parameters, from the geometry (norms and biases left out: under 0.1%).</summary>
    public double TotalParams => AttentionLayers * AttentionParamsPerLayer + LinearAttentionParams + DenseMlpParamsAllLayers + MoeLayers * MoeLayerParams + EmbeddingParams;

    /// <summary>Parameters that one token's forward pass multiplies through, LM head excluded (it runs once per sampled token).</summary>
    public double ActiveLayerParamsPerToken => AttentionLayers * AttentionParamsPerLayer + LinearAttentionParams + DenseMlpParamsAllLayers
        + (Moe is { } moe ? MoeLayers * (moe.ExpertsPerToken * ExpertParams + MoeDenseParamsPerLayer) : 0);

    /// <summary>Active parameters per token including embeddings (what model cards call "active").</summary>
    public double ActiveParams => ActiveLayerParamsPerToken + EmbeddingParams;

    /// <summary>
    /// KV-cache elements one token stores in one layer, across all TP ranks (MLA: latent + RoPE key + DSA indexer key, the
    /// last in the indexed layers only; with
    /// <see cref="GlobalAttention"/>, the mean over the attention layers; <see cref="Compressed"/>: its pooled bytes, which
    /// the engines keep in FP8, the mean over the layers).
    /// </summary>
    public double KvElementsPerTokenPerLayer => Compressed is { } c ? c.PooledBytesPerToken / Layers
        : Mla is { } m
        ? m.KvLoraRank + m.QkRopeHeadDim + m.IndexerHeadDim * m.IndexedShare(Layers)
        : KvElementsPerRankPerLayer(tp: 1);

    /// <summary>KV-cache bytes per token for the whole model, every attention layer counted (the figure in calibration.md: Llama-3.3-70B BF16 = 327,680).</summary>
    public double KvBytesPerToken(DType kvDtype) => (double)AttentionLayers * KvElementsPerTokenPerLayer * kvDtype.Bytes();

    /// <summary>
    /// Attention FLOPs per (query, key) pair per layer: QKᵀ and PV, 2 FLOPs per multiply-add. MLA decode runs
    /// the absorbed form over the latent (as vLLM's MLA backends do); MLA prefill runs the expanded heads. With
    /// <see cref="GlobalAttention"/>, the mean over the attention layers.
    /// </summary>
    public double AttentionFlopsPerPair(bool decode) => Compressed is { } c ? 4.0 * Heads * c.HeadDim
        : Mla is { } m
        ? decode ? 2.0 * Heads * (2 * m.KvLoraRank + m.QkRopeHeadDim)
                 : 2.0 * Heads * (m.QkNopeHeadDim + m.QkRopeHeadDim + m.VHeadDim)
        : GlobalAttention is { } g ? 4.0 * Heads * (WindowedLayers * (double)HeadDim + GlobalLayers * (double)g.HeadDim) / AttentionLayers
        : 4.0 * Heads * HeadDim;
}
