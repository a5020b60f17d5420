using System.Text.Json;

namespace DisaggServing.Engine.Catalog;

/// <summary>
/// Reads a NAS model's <c>block_configs</c> (Hugging Face model_type <c>nemotron-nas</c>, DeciLM's configuration): one entry
/// per layer, its <c>attention</c> kept with <c>n_heads_in_group</c> query heads per KV head or dropped (<c>no_op</c>), its
/// <c>ffn</c> kept with an <c>ffn_mult</c> (or an <c>intermediate_size</c>) or dropped. Layers replaced by a single linear
/// map, windowed or sink attention, KV heads that differ between layers and sub-blocks of other kinds (Mamba) are refused
/// by name: the performance model does not cost them.
/// </summary>
internal static class NasBlockConfigs
{
    /// <summary>The stack's layout, the KV heads its attention layers share and its widest MLP.</summary>
    public static (NasLayout Layout, int KvHeads, int WidestMlp) Read(JsonElement blocks, int layers, int hidden, int heads, string where)
    {
        if (blocks.ValueKind != JsonValueKind.Array)
            throw new InputException($"{where}: 'block_configs' is not a list; a nemotron-nas config.json gives one entry per layer.");
        if (blocks.GetArrayLength() != layers)
            throw new InputException($"{where}: 'block_configs' has {blocks.GetArrayLength()} entries for {layers} layers (num_hidden_layers); it gives one per layer.");
        int attentionLayers = 0, mlpLayers = 0, widest = 0;
        int? kvHeads = null;
        long widthSum = 0;
        var index = 0;
        foreach (var block in blocks.EnumerateArray())
        {
            var at = $"{where}: block_configs[{index++}]";
            if (block.ValueKind != JsonValueKind.Object)
                throw new InputException($"{at} is not an object with 'attention' and 'ffn'.");
            foreach (var part in block.EnumerateObject())
                if (part.Name is not ("attention" or "ffn"))
                    throw new InputException($"{at}.{part.Name}: sub-blocks other than attention and ffn are not modelled. Use a catalogued model ('disagg models').");
            if (Sub(block, "attention", at) is { } attention)
            {
                var group = Int(attention, "n_heads_in_group", $"{at}.attention");
                if (heads % group != 0)
                    throw new InputException($"{at}.attention.n_heads_in_group {group} does not divide num_attention_heads {heads}.");
                if (kvHeads is { } shared && shared != heads / group)
                    throw new InputException($"{at}.attention: {heads / group} KV heads where earlier layers have {shared}; layers with different KV heads are not modelled.");
                if (Present(attention, "window_length") || Present(attention, "num_sink_tokens") || Present(attention, "sparsify"))
                    throw new InputException($"{at}.attention: windowed, sink or sparsified attention is not modelled. Use a catalogued model ('disagg models').");
                kvHeads = heads / group;
                attentionLayers++;
            }
            if (Sub(block, "ffn", at) is { } ffn)
            {
                var width = OptInt(ffn, "intermediate_size")
                    ?? (ffn.TryGetProperty("ffn_mult", out var mult) && mult.ValueKind == JsonValueKind.Number && mult.GetDouble() > 0
                        ? NasLayout.MlpWidth(mult.GetDouble(), hidden)
                        : throw new InputException($"{at}.ffn: 'ffn_mult' is missing or not positive; a kept MLP gives its width."));
                mlpLayers++;
                widthSum += width;
                widest = Math.Max(widest, width);
            }
        }
        if (kvHeads is not { } kv)
            throw new InputException($"{where}: every layer of 'block_configs' drops its attention; a decoder keeps it in at least one.");
        return (new NasLayout(attentionLayers, mlpLayers, widthSum).Validate(layers, where), kv, widest);
    }

    // The sub-block when the layer keeps it; null when it is dropped (no_op).
    private static JsonElement? Sub(JsonElement block, string name, string at)
    {
        if (!block.TryGetProperty(name, out var sub) || sub.ValueKind != JsonValueKind.Object)
            throw new InputException($"{at}: '{name}' is missing; each entry of block_configs gives its attention and ffn.");
        if (sub.TryGetProperty("replace_with_linear", out var linear) && linear.ValueKind == JsonValueKind.True)
            throw new InputException($"{at}.{name}: a sub-block replaced by one linear map (replace_with_linear) is not modelled. Use a catalogued model ('disagg models').");
        return sub.TryGetProperty("no_op", out var noOp) && noOp.ValueKind == JsonValueKind.True ? null : sub;
    }

    private static bool Present(JsonElement e, string key) => e.TryGetProperty(key, out var v) && v.ValueKind is not (JsonValueKind.Null or JsonValueKind.False);

    private static int Int(JsonElement e, string key, string at) => OptInt(e, key) is { } v && v > 0
        ? v
        : throw new InputException($"{at}.{key} is missing or not positive; a kept attention gives its query heads per KV head.");

    private static int? OptInt(JsonElement e, string key) => HfModelConfig.OptInt(e, key);
}
