namespace DisaggServing.Engine.Catalog;

/// <summary>
/// The linear-attention layers of a hybrid model: each keeps a fixed-size recurrent state per sequence instead of a KV
/// cache that grows with the context. Two mixers share this shape. Gated DeltaNet (Qwen3-Next's <c>linear_attention</c>
/// layers, three of every four) projects the hidden state to queries and keys (<paramref name="KeyHeads"/> of
/// <paramref name="KeyHeadDim"/>), values and an output gate (<paramref name="ValueHeads"/> of <paramref name="ValueHeadDim"/>)
/// and two per-head scalars (the decay and the write strength). Mamba2 (Nemotron-H's <c>M</c> layers, <see cref="Mamba2"/>)
/// is the same linear attention in its state-space form (SSD): its C and B projections are the queries and keys, shared
/// by <c>n_groups</c> groups of heads (<paramref name="KeyHeads"/>) and <c>ssm_state_size</c> wide (<paramref name="KeyHeadDim"/>),
/// its x and z the values and gate (<c>mamba_num_heads</c> of <c>mamba_head_dim</c>), with one per-head scalar (the step
/// dt). Both run a short causal convolution over q, k and v, update a state of <paramref name="ValueHeads"/> ×
/// <paramref name="KeyHeadDim"/> × <paramref name="ValueHeadDim"/> per sequence and project the gated read-out back to
/// the hidden size.
/// </summary>
/// <param name="Layers">Layers of this kind (the others keep full attention and its KV cache, or are MLPs).</param>
/// <param name="KeyHeads">linear_num_key_heads (Mamba2: n_groups).</param>
/// <param name="ValueHeads">linear_num_value_heads (Mamba2: mamba_num_heads).</param>
/// <param name="KeyHeadDim">linear_key_head_dim (Mamba2: ssm_state_size).</param>
/// <param name="ValueHeadDim">linear_value_head_dim (Mamba2: mamba_head_dim).</param>
/// <param name="ConvKernel">linear_conv_kernel_dim (Mamba2: conv_kernel).</param>
/// <param name="StateBytes">Bytes an element of the recurrent state takes (2: the model's BF16, as vLLM keeps it by default; 4 where the config asks for FP32).</param>
public sealed record LinearAttentionSpec(int Layers, int KeyHeads, int ValueHeads, int KeyHeadDim, int ValueHeadDim, int ConvKernel, int StateBytes = 2)
{
    /// <summary>Channels the causal convolution runs over: queries, keys and values.</summary>
    public int ConvChannels => 2 * KeyHeads * KeyHeadDim + ValueHeads * ValueHeadDim;

    /// <summary>Per-head scalars the input projection makes (Gated DeltaNet: decay and write strength, 2; Mamba2: the step dt, 1).</summary>
    public int ScalarsPerHead { get; init; } = 2;

    /// <summary>True for Mamba2 layers (one scalar a head, <see cref="Mamba2"/>), false for Gated DeltaNet.</summary>
    public bool IsMamba2 => ScalarsPerHead == 1;

    /// <summary>The mixer's name: Mamba2 or Gated DeltaNet.</summary>
    public string Mixer => IsMamba2 ? "Mamba2" : "Gated DeltaNet";

    /// <summary>Tokens per chunk of the chunked kernel a prompt runs through (flash-linear-attention's chunk_gated_delta_rule: 64; Mamba2: the config's chunk_size).</summary>
    public int ChunkTokens { get; init; } = 64;

    /// <summary>
    /// Mamba2 layers (Nemotron-H's <c>M</c>) in this shape: <paramref name="groups"/> groups of B and C (keys and queries)
    /// <paramref name="stateSize"/> wide, <paramref name="heads"/> heads of x and z (values and gate) <paramref name="headDim"/>
    /// wide, one dt a head, chunks of <paramref name="chunk"/> tokens.
    /// </summary>
    public static LinearAttentionSpec Mamba2(int layers, int heads, int headDim, int groups, int stateSize, int convKernel, int chunk, int stateBytes = 2) =>
        new(layers, KeyHeads: groups, ValueHeads: heads, KeyHeadDim: stateSize, ValueHeadDim: headDim, convKernel, stateBytes)
        {
            ScalarsPerHead = 1, ChunkTokens = chunk,
        };

    /// <summary>
    /// Parameters of one layer: the q/k/v/z projection, the per-head scalars' projection, the convolution and the
    /// output projection (norms and the per-head decay constants left out).
    /// </summary>
    public double ParamsPerLayer(int hidden) =>
        (double)hidden * (2.0 * KeyHeads * KeyHeadDim + 2.0 * ValueHeads * ValueHeadDim)
        + (double)hidden * ScalarsPerHead * ValueHeads
        + (double)ConvChannels * ConvKernel
        + (double)ValueHeads * ValueHeadDim * hidden;

    /// <summary>
    /// Bytes of one sequence's state in one layer, across all TP ranks: the recurrent state and the convolution's last
    /// kernel − 1 inputs (in the model's 16-bit format).
    /// </summary>
    public double StateBytesPerLayer => (double)ValueHeads * KeyHeadDim * ValueHeadDim * StateBytes + (double)ConvChannels * (ConvKernel - 1) * 2;

    /// <summary>Bytes of one sequence's state over every layer of this kind, across all TP ranks.</summary>
    public double StateBytesPerSequence => Layers * StateBytesPerLayer;

    /// <summary>
    /// FLOPs one token takes in one layer's recurrence, across all ranks: writing its key × value outer product into the
    /// state and reading the state with its query (2 × key dim × value dim each, a head), plus the chunked kernel's
    /// attention within a chunk of <see cref="ChunkTokens"/> tokens in a prompt (2 × chunk × (key + value dim), a head).
    /// </summary>
    public double FlopsPerToken(bool prompt) =>
        ValueHeads * (4.0 * KeyHeadDim * ValueHeadDim + (prompt ? 2.0 * ChunkTokens * (KeyHeadDim + ValueHeadDim) : 0));
}
