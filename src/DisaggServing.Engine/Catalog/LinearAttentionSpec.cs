namespace DisaggServing.Engine.Catalog;

/// <summary>
/// The linear-attention layers of a hybrid model (Gated DeltaNet: Qwen3-Next's <c>linear_attention</c> layers, three of
/// every four): each keeps a fixed-size recurrent state per sequence instead of a KV cache that grows with the context.
/// A layer projects the hidden state to queries and keys (<paramref name="KeyHeads"/> of <paramref name="KeyHeadDim"/>),
/// values and an output gate (<paramref name="ValueHeads"/> of <paramref name="ValueHeadDim"/>) and two per-head scalars
/// (the decay and the write strength), runs a short causal convolution over q, k and v, updates a state of
/// <paramref name="ValueHeads"/> × <paramref name="KeyHeadDim"/> × <paramref name="ValueHeadDim"/> per sequence and
/// projects the gated read-out back to the hidden size.
/// </summary>
/// <param name="Layers">Layers of this kind (the others keep full attention and its KV cache).</param>
/// <param name="KeyHeads">linear_num_key_heads.</param>
/// <param name="ValueHeads">linear_num_value_heads.</param>
/// <param name="KeyHeadDim">linear_key_head_dim.</param>
/// <param name="ValueHeadDim">linear_value_head_dim.</param>
/// <param name="ConvKernel">linear_conv_kernel_dim.</param>
/// <param name="StateBytes">Bytes an element of the recurrent state takes (2: the model's BF16, as vLLM keeps it by default; 4 where the config asks for FP32).</param>
public sealed record LinearAttentionSpec(int Layers, int KeyHeads, int ValueHeads, int KeyHeadDim, int ValueHeadDim, int ConvKernel, int StateBytes = 2)
{
    /// <summary>Channels the causal convolution runs over: queries, keys and values.</summary>
    public int ConvChannels => 2 * KeyHeads * KeyHeadDim + ValueHeads * ValueHeadDim;

    /// <summary>
    /// Parameters of one layer: the q/k/v/z projection, the two per-head scalars' projection, the convolution and the
    /// output projection (norms and the per-head decay constants left out).
    /// </summary>
    public double ParamsPerLayer(int hidden) =>
        (double)hidden * (2.0 * KeyHeads * KeyHeadDim + 2.0 * ValueHeads * ValueHeadDim)
        + (double)hidden * 2 * ValueHeads
        + (double)ConvChannels * ConvKernel
        + (double)ValueHeads * ValueHeadDim * hidden;

    /// <summary>
    /// Bytes of one sequence's state in one layer, across all TP ranks: the recurrent state and the convolution's last
    /// kernel − 1 inputs (in the model's 16-bit format).
    /// </summary>
    public double StateBytesPerLayer => (double)ValueHeads * KeyHeadDim * ValueHeadDim * StateBytes + (double)ConvChannels * (ConvKernel - 1) * 2;

    /// <summary>
    /// FLOPs one token takes in one layer's recurrence, across all ranks: writing its key × value outer product into the
    /// state and reading the state with its query (2 × key dim × value dim each, a head), plus the chunked kernel's
    /// attention within a chunk of <see cref="PrefillChunk"/> tokens in a prompt (2 × chunk × (key + value dim), a head).
    /// </summary>
    public double FlopsPerToken(bool prompt) =>
        ValueHeads * (4.0 * KeyHeadDim * ValueHeadDim + (prompt ? 2.0 * PrefillChunk * (KeyHeadDim + ValueHeadDim) : 0));

    /// <summary>Tokens per chunk of the chunked Gated DeltaNet kernel a prompt runs through (flash-linear-attention's chunk_gated_delta_rule: 64).</summary>
    public const int PrefillChunk = 64;
}
