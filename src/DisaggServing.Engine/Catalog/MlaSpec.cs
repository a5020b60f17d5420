namespace DisaggServing.Engine.Catalog;

/// <summary>Multi-head latent attention geometry (config.json: q_lora_rank, kv_lora_rank, qk_nope_head_dim, qk_rope_head_dim, v_head_dim; DSA indexer where present).</summary>
/// <param name="QLoraRank">Query compression rank, or 0 when queries are not compressed.</param>
/// <param name="KvLoraRank">Rank of the cached KV latent.</param>
/// <param name="QkNopeHeadDim">Per-head query/key dimension without RoPE.</param>
/// <param name="QkRopeHeadDim">Per-head RoPE dimension (its key part is cached beside the latent).</param>
/// <param name="VHeadDim">Per-head value dimension.</param>
/// <param name="IndexerHeads">DeepSeek Sparse Attention indexer heads (0 without DSA).</param>
/// <param name="IndexerHeadDim">DSA indexer head dimension; one indexer key per token and layer is cached.</param>
/// <param name="IndexerTopK">Tokens each query attends to under DSA (0 = dense attention).</param>
/// <param name="IndexedLayers">
/// Layers that run their own indexer under IndexShare (GLM-5.2: config.json's indexer_types, or index_topk_freq and
/// index_skip_topk_offset): the others carry no indexer weights or indexer keys and reuse the last indexed layer's
/// top-k. 0 = every layer indexes, as DeepSeek-V3.2 and GLM-5 do.
/// </param>
public sealed record MlaSpec(int QLoraRank, int KvLoraRank, int QkNopeHeadDim, int QkRopeHeadDim, int VHeadDim,
    int IndexerHeads = 0, int IndexerHeadDim = 0, int IndexerTopK = 0, int IndexedLayers = 0)
{
    /// <summary>The share of a model's <paramref name="layers"/> that hold an indexer (its weights, its keys, its scoring).</summary>
    public double IndexedShare(int layers) => IndexedLayers > 0 ? (double)IndexedLayers / layers : 1;
}
