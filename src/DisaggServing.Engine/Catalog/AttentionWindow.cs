namespace DisaggServing.Engine.Catalog;

/// <summary>
/// Layers whose attention sees a bounded span of keys (config.json: <c>sliding_window</c> with <c>layer_types</c>, or
/// Llama 4's <c>attention_chunk_size</c> on the RoPE layers). Such a layer keeps at most <see cref="Tokens"/> keys of a
/// sequence in its KV cache and attends to at most that many per query; the other layers attend to the whole context.
/// </summary>
/// <param name="Tokens">Window or chunk length, in tokens.</param>
/// <param name="Layers">How many of the model's layers are windowed.</param>
/// <param name="Chunked">
/// True for chunked local attention (Llama 4): a query attends to the keys of its own chunk only, so past the first
/// chunk a query sees on average half a chunk; false for a sliding window (gpt-oss), where it sees the last
/// <see cref="Tokens"/> keys.
/// </param>
public sealed record AttentionWindow(int Tokens, int Layers, bool Chunked)
{
    /// <summary>
    /// Windows at least this long hold a served sequence's whole context in the usual benchmark lengths (a few
    /// thousand tokens), so the KV pool is sized as if they were full layers; shorter windows (gpt-oss's 128) hold a
    /// few blocks per sequence whatever its length, and the pool is sized for the full layers alone.
    /// </summary>
    public const int LongWindowTokens = 4096;

    /// <summary>True when the window is long enough to count as a full layer when the KV pool is sized (<see cref="LongWindowTokens"/>).</summary>
    public bool HoldsWholeContexts => Tokens >= LongWindowTokens;

    /// <summary>Keys one query attends to in a windowed layer, on average, at <paramref name="context"/> keys of history.</summary>
    public double KeysAttended(double context) => Chunked
        ? context < Tokens ? context : Tokens / 2.0
        : Math.Min(context, Tokens);
}
