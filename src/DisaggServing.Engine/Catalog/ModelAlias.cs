namespace DisaggServing.Engine.Catalog;

/// <summary>
/// Another Hugging Face id for a catalogued geometry: a base or instruct variant, a later release with the same
/// config.json shapes, or a quantized checkpoint (NVIDIA ModelOpt <c>-FP8</c>/<c>-FP4</c>, Red Hat <c>-FP8-dynamic</c>,
/// Qwen's <c>-FP8</c>).
/// </summary>
/// <param name="Id">The checkpoint's Hugging Face id.</param>
/// <param name="Of">The catalogued model with the same geometry.</param>
/// <param name="Weights">The format its weights ship in, or null for BF16 (see <see cref="ModelSpec.CheckpointDtype"/>).</param>
/// <param name="MaxContext">Its max_position_embeddings where it differs from <paramref name="Of"/>'s.</param>
/// <param name="ExpertsOnly">The checkpoint quantizes only the routed experts (<see cref="ModelSpec.QuantizedExpertsOnly"/>).</param>
internal sealed record ModelAlias(string Id, ModelSpec Of, DType? Weights = null, int? MaxContext = null, bool ExpertsOnly = false)
{
    /// <summary>The spec this id resolves to: <see cref="Of"/>'s geometry under this id, with its weight format and context.</summary>
    public ModelSpec Resolve() => Of with
    {
        Id = Id, AliasOf = Of.Id, CheckpointDtype = Weights, MaxContext = MaxContext ?? Of.MaxContext,
        CheckpointKvDtype = DeclaresFp8Kv ? DType.Fp8 : null,
        // Block-scaled FP8: the FP8 releases of a block-scaled model (DeepSeek's), Qwen's own FP8 checkpoints and Red Hat's
        // -FP8-block ones; and a later release in the catalogued one's own format (DeepSeek-V4's MXFP4 beside block FP8).
        BlockScaledFp8 = (Weights == DType.Fp8 && (Of.BlockScaledFp8 || Id.StartsWith("Qwen/", StringComparison.OrdinalIgnoreCase)
            || Id.EndsWith("-FP8-block", StringComparison.OrdinalIgnoreCase))) || (Weights == Of.CheckpointDtype && Weights is not null && Of.BlockScaledFp8),
        PerTokenActivationScales = QuantizesPerToken,
        QuantizedExpertsOnly = ExpertsOnly && Weights is not null,
    };

    /// <summary>
    /// True for the releases that quantize activations per token at run time (<see cref="ModelSpec.PerTokenActivationScales"/>):
    /// llm-compressor's <c>FP8_DYNAMIC</c> scheme (<c>…-FP8-dynamic</c>) and its INT8 W8A8 (<c>…quantized.w8a8</c>, dynamic per
    /// token), and Meta's Llama-3.1-405B-Instruct-FP8 (FBGEMM's row-wise dynamic FP8).
    /// </summary>
    public bool QuantizesPerToken => Weights is DType.Fp8 or DType.Int8
        && (Id.EndsWith("-FP8-dynamic", StringComparison.OrdinalIgnoreCase) || Id.EndsWith("quantized.w8a8", StringComparison.OrdinalIgnoreCase)
            || Id.Equals("meta-llama/Llama-3.1-405B-Instruct-FP8", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// True for NVIDIA's ModelOpt exports (<c>nvidia/…-FP8</c>, <c>-FP4</c>, <c>-NVFP4</c>): ModelOpt's PTQ exports
    /// calibrate an FP8 KV cache by default (hf_ptq's kv_cache_qformat fp8) and write <c>kv_cache_quant_algo: FP8</c>
    /// next to the weight format (e.g. nvidia/Qwen3-30B-A3B-NVFP4's hf_quant_config.json). Red Hat's compressed-tensors
    /// and the model makers' own FP8 releases declare no KV format.
    /// </summary>
    public bool DeclaresFp8Kv => Weights is not null && Id.StartsWith("nvidia/", StringComparison.OrdinalIgnoreCase);
}
