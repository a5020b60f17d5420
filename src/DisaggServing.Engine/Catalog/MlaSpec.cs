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
public sealed record MlaSpec(int QLoraRank, int KvLoraRank, int QkNopeHeadDim, int QkRopeHeadDim, int VHeadDim,
    int IndexerHeads = 0, int IndexerHeadDim = 0, int IndexerTopK = 0);
