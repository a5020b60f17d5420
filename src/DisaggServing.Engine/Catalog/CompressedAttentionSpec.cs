namespace DisaggServing.Engine.Catalog;

/// <summary>
/// DeepSeek-V4's hybrid attention (config.json: <c>head_dim</c>, <c>qk_rope_head_dim</c>, <c>q_lora_rank</c>,
/// <c>o_lora_rank</c>, <c>o_groups</c>, <c>sliding_window</c>, <c>compress_ratios</c>, <c>index_n_heads</c>,
/// <c>index_head_dim</c>, <c>index_topk</c>, <c>hc_mult</c>). Every layer keeps one 512-wide vector a token that serves as
/// both key and value for all query heads (multi-query), in three kinds of layer: each attends to the last
/// <see cref="WindowTokens"/> raw tokens; a compressed-sparse layer (ratio 4) also caches one entry per
/// <see cref="SparseRatio"/> tokens and attends to the <see cref="TopK"/> of them its lightning indexer scores highest
/// (the indexer scores every cached entry with its own small keys); a heavily compressed layer (ratio 128) caches one
/// entry per <see cref="DenseRatio"/> tokens and attends to all of them. The remaining layers attend to the window only.
/// </summary>
/// <param name="HeadDim">Width of the shared key/value vector and of each query head (448 without RoPE + <paramref name="RopeDim"/>).</param>
/// <param name="RopeDim">Its RoPE part, cached in BF16 where the rest is FP8.</param>
/// <param name="QLoraRank">Query compression rank (wq_a → wq_b); the indexer's queries start from the same latent.</param>
/// <param name="OutputGroups">Groups the heads' outputs are split into, each projected to <paramref name="OutputLoraRank"/> before the output projection.</param>
/// <param name="OutputLoraRank">Width of each group's low-rank output.</param>
/// <param name="WindowTokens">Raw tokens every layer attends to (the sliding window).</param>
/// <param name="SparseLayers">Compressed-sparse layers (compress ratio 4).</param>
/// <param name="SparseRatio">Tokens per cached entry in those layers.</param>
/// <param name="IndexerHeads">The lightning indexer's query heads.</param>
/// <param name="IndexerHeadDim">The indexer's head width; one indexer key is cached per compressed entry.</param>
/// <param name="TopK">Compressed entries a query attends to in a compressed-sparse layer.</param>
/// <param name="DenseLayers">Heavily compressed layers (compress ratio 128), attending to every entry.</param>
/// <param name="DenseRatio">Tokens per cached entry in those layers.</param>
/// <param name="ResidualStreams">Residual streams the hyper-connections keep (hc_mult).</param>
public sealed record CompressedAttentionSpec(
    int HeadDim, int RopeDim, int QLoraRank, int OutputGroups, int OutputLoraRank, int WindowTokens,
    int SparseLayers, int SparseRatio, int IndexerHeads, int IndexerHeadDim, int TopK,
    int DenseLayers, int DenseRatio, int ResidualStreams)
{
    /// <summary>The tokens a vLLM KV block holds for this attention: its sparse backend's preferred size (and its recipe's --block-size).</summary>
    public const int VllmBlockSize = 256;

    /// <summary>
    /// Bytes of one cached entry (window, sparse or dense alike): the non-RoPE part in FP8 with a UE8M0 scale per 64, the
    /// RoPE part in BF16, one pad byte — 584 for a 512-wide head (vLLM's and SGLang's <c>fp8_ds_mla</c> layout).
    /// </summary>
    public int EntryBytes => (HeadDim - RopeDim) + 2 * RopeDim + (HeadDim - RopeDim) / 64 + 1;

    /// <summary>Bytes of one cached indexer key: FP8 with one FP32 scale (132 for 128 wide).</summary>
    public int IndexerEntryBytes => IndexerHeadDim + 4;

    /// <summary>
    /// Bytes a token adds to the cache over all of a stack's layers: its share of a sparse layer's entry and indexer key
    /// and of a dense layer's entry. The window's 128 tokens a layer are held per sequence, not per token, and left out
    /// (as a short sliding window's are, <see cref="AttentionWindow.HoldsWholeContexts"/>).
    /// </summary>
    public double PooledBytesPerToken => SparseLayers * (double)(EntryBytes + IndexerEntryBytes) / SparseRatio + DenseLayers * (double)EntryBytes / DenseRatio;

    /// <summary>
    /// Bytes a token costs in vLLM's paged pool for DeepSeek-V4 over a stack of <paramref name="layers"/> layers
    /// (<c>group_and_unify_kv_cache_specs</c>, <c>_get_kv_cache_groups_uniform_groups</c>, v1/core/kv_cache_utils.py): a
    /// block of <see cref="VllmBlockSize"/> tokens holds, in each "layer tuple", a compressed-sparse layer's 64 entries,
    /// its 64 indexer keys and a heavily compressed layer's 2 entries, each page padded to FlashMLA's 576-byte
    /// alignment (37,440, 8,640 and 1,728 bytes for a 512-wide head and 128-wide indexer keys); the window and the
    /// compressors' state groups share those tensors, so every block reserves as many tuples as the groups' layer counts
    /// round up to (<see cref="VllmLayerTuples"/>: 22 for Flash's 21 / 43 / 21 / 20, 31 for Pro's). Flash: 22 × 47,808 ÷
    /// 256 = 4,108.5 bytes a token against <see cref="PooledBytesPerToken"/>'s 3,850; Pro 5,789.0 against 5,511.
    /// </summary>
    public double VllmPagedBytesPerToken(int layers)
    {
        static int Page(int entries, int bytes) => (entries * bytes + VllmPageAlignment - 1) / VllmPageAlignment * VllmPageAlignment;
        var tuple = Page(VllmBlockSize / SparseRatio, EntryBytes) + Page(VllmBlockSize / SparseRatio, IndexerEntryBytes) + Page(VllmBlockSize / DenseRatio, EntryBytes);
        return (double)VllmLayerTuples(layers) * tuple / VllmBlockSize;
    }

    /// <summary>
    /// The layer tuples a vLLM block reserves: its groups' layer counts — the compressed caches (the larger of the sparse
    /// and dense layers), every layer's window, the sparse layers' compressor states and the dense layers' — each rounded
    /// up to the one count at least the compressed caches' that pads them least (vLLM's <c>_approximate_gcd</c>).
    /// </summary>
    public int VllmLayerTuples(int layers)
    {
        var compressed = Math.Max(SparseLayers, DenseLayers);
        int[] groups = [compressed, layers, SparseLayers, DenseLayers];
        int best = compressed, bestPad = int.MaxValue;
        for (var d = compressed; d <= groups.Max(); d++)
        {
            var pad = groups.Where(g => g > 0).Sum(g => (d - g % d) % d);
            if (pad <= bestPad) (best, bestPad) = (d, pad); // ties prefer the larger count, as vLLM's does
        }
        return best;
    }

    // FlashMLA's page alignment, to which vLLM pads every DeepSeek-V4 cache page.
    private const int VllmPageAlignment = 576;

    /// <summary>
    /// Bytes one token slot of a window pool holds over a stack of <paramref name="layers"/> layers, where the engine sizes
    /// one in proportion to the full pool (SGLang's hybrid SWA pool, <c>pool_configurator._get_bytes_per_swa_token</c>):
    /// every layer's window entry, and in each sparse layer a share of its compressors' FP32 state ring (8 slots per
    /// 128-token window page, each the partial sums of keys/values and gate scores over two overlapping windows, for
    /// the main compressor and the indexer's: 2 × 2 × (512 + 128) × 4 bytes).
    /// </summary>
    public double WindowSlotBytes(int layers) =>
        (double)layers * EntryBytes + SparseLayers * StateRingSlotsPerWindowToken * 2.0 * 2 * (HeadDim + IndexerHeadDim) * 4;

    // SGLang's compressor-state ring of a sparse layer: 8 slots per 128-token window page.
    private const double StateRingSlotsPerWindowToken = 8.0 / 128;

    /// <summary>Entries a query attends to, summed over a stack of <paramref name="layers"/> layers, at <paramref name="context"/> tokens of history.</summary>
    public double KeysAttended(int layers, double context) =>
        layers * Math.Min(context, WindowTokens) + SparseLayers * Math.Min(context / SparseRatio, TopK) + DenseLayers * context / DenseRatio;

    /// <summary>Indexer keys a query scores, summed over the sparse layers, at <paramref name="context"/> tokens of history.</summary>
    public double KeysIndexed(double context) => SparseLayers * context / SparseRatio;

    /// <summary>Cache bytes one sequence's attention reads, summed over a stack of <paramref name="layers"/> layers, at <paramref name="context"/> tokens.</summary>
    public double BytesRead(int layers, double context) =>
        (double)EntryBytes * KeysAttended(layers, context) + (double)IndexerEntryBytes * KeysIndexed(context);

    /// <summary>
    /// Parameters of a stack's attention, over <paramref name="layers"/> layers of <paramref name="hidden"/> width and
    /// <paramref name="heads"/> query heads: every layer's query (wq_a, wq_b), key/value (wkv) and grouped output (wo_a, wo_b)
    /// projections and its hyper-connection mixers (two a layer, each (2 + streams) × streams weights over the streams'
    /// streams × hidden inputs); the sparse and dense layers' compressors and the sparse layers' indexer.
    /// </summary>
    public double Params(int layers, int hidden, int heads)
    {
        double h = hidden;
        var perLayer = h * QLoraRank + (double)QLoraRank * heads * HeadDim + h * HeadDim
            + (double)heads * HeadDim * OutputLoraRank + (double)OutputGroups * OutputLoraRank * h
            + 2.0 * (2 + ResidualStreams) * ResidualStreams * (ResidualStreams * h);
        return layers * perLayer + CompressionParams(hidden);
    }

    /// <summary>
    /// Parameters every tensor-parallel rank holds whole, over the stack: the fused wq_a/wkv projection (each rank's heads
    /// need the whole latent), the compressors and the indexer, which vLLM and SGLang replicate.
    /// </summary>
    public double ReplicatedParams(int layers, int hidden) => layers * (double)hidden * (QLoraRank + HeadDim) + CompressionParams(hidden);

    // The sparse layers' compressor (kv and gate, twice as wide for its overlapping windows) and indexer (its query
    // projection from the q latent, per-head weights, its own compressor), and the dense layers' compressor.
    private double CompressionParams(int hidden)
    {
        double h = hidden;
        var sparse = 2.0 * h * 2 * HeadDim + (double)QLoraRank * IndexerHeads * IndexerHeadDim + h * IndexerHeads + 2.0 * h * 2 * IndexerHeadDim;
        var dense = 2.0 * h * HeadDim;
        return SparseLayers * sparse + DenseLayers * dense;
    }
}
