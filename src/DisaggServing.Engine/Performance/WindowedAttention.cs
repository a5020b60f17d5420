using DisaggServing.Engine.Catalog;

namespace DisaggServing.Engine.Performance;

/// <summary>
/// What a model's windowed layers (<see cref="ModelSpec.Window"/>: gpt-oss's sliding window, Llama 4's chunked local
/// attention) take off a step's attention: in those layers a query attends to at most the window's keys and a
/// sequence's KV read is at most the window, while the other layers attend to the whole context (Gemma 4's, wider:
/// each figure's windowed share is its share of the cost, ModelSpec.WindowedShare). A step carries sums
/// over its sequences, not each one's context, so the cap is applied at the batch's mean keys per query and mean
/// context (as DeepSeek Sparse Attention's top-k is): exact for sequences of one length, an approximation for mixed ones.
/// </summary>
internal sealed class WindowedAttention
{
    private readonly AttentionWindow _window;
    // The windowed layers' share of a token's query-key FLOPs and of its KV bytes (ModelSpec.WindowedShare).
    private readonly double _pairShare, _kvShare;

    private WindowedAttention(AttentionWindow window, ModelSpec model, int tp)
    {
        _window = window;
        _pairShare = model.WindowedShare(kv: false);
        _kvShare = model.WindowedShare(kv: true, tp);
    }

    /// <summary>The windowed layers of <paramref name="model"/> on one of <paramref name="tp"/> ranks, or null when it has none.</summary>
    public static WindowedAttention? For(ModelSpec model, int tp) => model.Window is { } w ? new WindowedAttention(w, model, tp) : null;

    /// <summary>
    /// Prefill and decode query-key pairs and KV tokens read by <paramref name="batch"/> once the windowed layers' share
    /// of them is capped (each figure counts every layer, as the step model's per-pair and per-token costs do).
    /// </summary>
    public (double PrefillPairs, double DecodePairs, double KvTokens) Apply(in BatchShape batch, double prefillPairs, double decodePairs)
    {
        var prefillTokens = batch.NewTokens - batch.DecodeSequences;
        if (prefillTokens > 0 && prefillPairs > 0) prefillPairs *= Capped(prefillPairs / prefillTokens, _pairShare);
        if (batch.DecodeSequences > 0 && decodePairs > 0) decodePairs *= Capped(decodePairs / batch.DecodeSequences, _pairShare);
        var kvTokens = (double)batch.KvTokensRead;
        // A windowed layer reads the keys it attends to: the last window (sliding) or the current chunk (chunked).
        if (batch.Sequences > 0 && kvTokens > 0) kvTokens *= Capped(kvTokens / batch.Sequences, _kvShare);
        return (prefillPairs, decodePairs, kvTokens);
    }

    // The fraction of an all-layer figure left when the windowed layers, carrying `share` of it, see at most the window
    // at this mean context.
    private double Capped(double meanKeys, double share) => 1 - share + share * Math.Min(1, _window.KeysAttended(meanKeys) / meanKeys);
}
