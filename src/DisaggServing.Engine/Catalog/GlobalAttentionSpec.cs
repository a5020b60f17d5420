namespace DisaggServing.Engine.Catalog;

/// <summary>
/// The full-attention layers' own geometry where it differs from the windowed layers' (Gemma 4: sliding-window layers
/// of <see cref="ModelSpec.KvHeads"/> heads of <see cref="ModelSpec.HeadDim"/>, and every sixth a full-attention layer of
/// <see cref="KvHeads"/> heads of <see cref="HeadDim"/>). The query heads are the model's <see cref="ModelSpec.Heads"/>, each
/// <see cref="HeadDim"/> wide in these layers. The engines cache each layer's keys and values in its own geometry.
/// </summary>
/// <param name="KvHeads">num_global_key_value_heads.</param>
/// <param name="HeadDim">global_head_dim.</param>
/// <param name="KeysAreValues">
/// attention_k_eq_v: the layer projects keys only and attends with them as its values too (no value projection). The
/// KV cache still holds both, as vLLM's attention layer writes the key and value tensors it is given.
/// </param>
public sealed record GlobalAttentionSpec(int KvHeads, int HeadDim, bool KeysAreValues);
