using DisaggServing.Engine.Catalog;

namespace DisaggServing.Engine.Performance;

/// <summary>
/// DeepSeek-V4's attention as the engines run it (<see cref="CompressedAttentionSpec"/>): in every layer a query attends
/// to the window's raw tokens and, in the compressed layers, to its top-k (sparse) or all (dense) compressed entries,
/// through FlashMLA's sparse kernels in MQA form (512-wide keys that are also the values) on the 64 or 128 heads the rank's
/// heads are padded to (<see cref="PaddedHeadsPerRank"/>); the sparse layers' lightning indexer scores every compressed
/// entry with its FP8 keys, replicated on every rank. A step carries sums over its sequences, so the caps are applied at
/// the batch's mean keys per query and mean context (as DeepSeek Sparse Attention's top-k and the sliding windows are):
/// exact for sequences of one length, an approximation for mixed ones.
/// </summary>
internal sealed class CompressedAttention
{
    private readonly CompressedAttentionSpec _attention;
    private readonly int _layers;
    // The stage's share of the stack's layers, and of the cache each GPU reads (1/TP of the sequences under attention DP).
    private readonly double _stageShare, _rankShare;

    private CompressedAttention(CompressedAttentionSpec attention, EngineSpec spec)
    {
        _attention = attention;
        _layers = spec.Model.Layers;
        _stageShare = (double)spec.LayersPerStage / _layers;
        _rankShare = spec.AttentionDataParallel ? 1.0 / spec.TensorParallel : 1;
    }

    /// <summary>The compressed attention of <paramref name="spec"/>'s model, or null when it has none.</summary>
    public static CompressedAttention? For(EngineSpec spec) => spec.Model.Compressed is { } c ? new CompressedAttention(c, spec) : null;

    /// <summary>
    /// Query heads a rank's FlashMLA sparse kernel computes: its own, padded to 64 when it has at most 64, else to 128
    /// (the FP8 sparse kernels take only those head counts, on Hopper and Blackwell alike: vLLM's
    /// <c>get_deepseek_v4_padded_num_q_heads</c>, SGLang's <c>_fp8_sparse_padded_heads</c>).
    /// </summary>
    public static int PaddedHeadsPerRank(EngineSpec spec)
    {
        var heads = spec.AttentionDataParallel ? spec.Model.Heads : spec.Model.Heads / spec.TensorParallel;
        return heads <= 64 ? 64 : (heads + 127) / 128 * 128;
    }

    /// <summary>
    /// FLOPs per GPU of one (query, attended entry) pair over the stage's layers: QK and PV over the 512-wide shared vector
    /// for each padded head; with attention DP each rank runs 1/TP of the sequences.
    /// </summary>
    public static double FlopsPerPair(EngineSpec spec)
    {
        var attention = spec.Model.Compressed ?? throw new ArgumentException("Compressed attention needs a DeepSeek-V4 model.", nameof(spec));
        var ranksSharing = spec.AttentionDataParallel ? spec.TensorParallel : 1;
        return 4.0 * attention.HeadDim * PaddedHeadsPerRank(spec) * spec.LayersPerStage / ranksSharing;
    }

    /// <summary>FLOPs per GPU of one indexer key scored: every indexer head's dot product, replicated on every rank (split by sequence under attention DP).</summary>
    public double IndexerFlopsPerKey => 2.0 * _attention.IndexerHeads * _attention.IndexerHeadDim * _rankShare;

    /// <summary>
    /// Prefill and decode pairs of <paramref name="batch"/> once each layer's entries are what it attends to (in the
    /// per-layer units <see cref="FlopsPerPair"/> takes), the cache bytes one GPU reads, and the indexer keys it scores, over the stage.
    /// </summary>
    public (double PrefillPairs, double DecodePairs, double KvBytes, double IndexedKeys) Apply(in BatchShape batch, double prefillPairs, double decodePairs)
    {
        var prefillTokens = batch.NewTokens - batch.DecodeSequences;
        // The indexer scores every compressed entry a query has: linear in its context, so the batch's pairs give the sum exactly.
        var indexed = (prefillPairs + decodePairs) * _attention.KeysIndexed(1) * _stageShare;
        prefillPairs = PairsAttended(prefillPairs, prefillTokens);
        decodePairs = PairsAttended(decodePairs, batch.DecodeSequences);
        var bytes = batch.Sequences > 0
            ? batch.Sequences * _attention.BytesRead(_layers, (double)batch.KvTokensRead / batch.Sequences) * _stageShare * _rankShare
            : 0;
        return (prefillPairs, decodePairs, bytes, indexed);
    }

    /// <summary>
    /// <paramref name="pairs"/> of <paramref name="queries"/> queries (each a query and a token of its history) once each
    /// layer counts only the entries it attends to, on average over the layers, at the queries' mean history.
    /// </summary>
    public double PairsAttended(double pairs, double queries)
    {
        if (queries <= 0 || pairs <= 0) return pairs;
        var meanKeys = pairs / queries;
        return pairs * _attention.KeysAttended(_layers, meanKeys) / (_layers * meanKeys);
    }
}
