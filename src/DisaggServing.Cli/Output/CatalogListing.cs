using DisaggServing.Engine.Catalog;

namespace DisaggServing.Cli.Output;

/// <summary>The model and GPU catalogs as tables or JSON (<c>disagg models</c>): one row per id, aliases beside what they resolve to.</summary>
internal static class CatalogListing
{
    /// <summary>Catalogued ids and aliases, grouped under their catalogued model, by id.</summary>
    private static IEnumerable<ModelSpec> Models() =>
        ModelCatalog.All.Values.Concat(ModelCatalog.Aliases.Values)
            .OrderBy(m => m.AliasOf ?? m.Id, StringComparer.OrdinalIgnoreCase)
            .ThenBy(m => m.AliasOf is null ? 0 : 1)
            .ThenBy(m => m.Id, StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// Plain aligned columns rather than a table: ids are what users copy into <c>--model</c>, and a table narrower than
    /// the longest id would wrap them.
    /// </summary>
    public static void Write(TextWriter writer)
    {
        writer.WriteLine($"Models: {ModelCatalog.All.Count} catalogued, {ModelCatalog.Aliases.Count} aliases (an alias shares its catalogued model's geometry).");
        string[] header = ["id", "alias of", "params (B)", "active (B)", "weights", "context", "attention"];
        var rows = Models().Select(m => new[]
        {
            m.Id, m.AliasOf ?? "-", Cells.Format(m.TotalParams / 1e9), Cells.Format(m.ActiveParams / 1e9), Weights(m),
            Cells.Format((long)m.MaxContext), Attention(m),
        }).ToList();
        WriteColumns(writer, header, rows);
        writer.WriteLine();
        writer.WriteLine("NIM's model names (also as nvcr.io/nim/NAME:TAG; the others match a Hugging Face id above):");
        WriteColumns(writer, ["NIM name", "Hugging Face id"], NimNames().Select(n => new[] { n.Key, n.Value }).ToList());
        writer.WriteLine();
        writer.WriteLine("GPUs (ids and aliases are case-insensitive; spaces and underscores read as dashes):");
        WriteColumns(writer, ["id", "name", "aliases"], GpuCatalog.All.Values.OrderBy(g => g.Id, StringComparer.Ordinal)
            .Select(g => new[] { g.Id, g.Name, string.Join(", ", GpuAliases.Of(g.Id)) }).ToList());
        writer.WriteLine();
        writer.WriteLine("A quantized checkpoint implies its --dtype; a BF16 one runs as given or quantized on load with --dtype fp8/fp4.");
    }

    /// <summary>One model's geometry, one field a line, as the estimate reads it (a catalogued id, an alias or a config.json).</summary>
    public static void Write(TextWriter writer, ModelSpec model)
    {
        ArgumentNullException.ThrowIfNull(model);
        static string Text(object? value) => value switch
        {
            null => Cells.Missing,
            bool b => b ? "yes" : "no",
            double d => Cells.Format(d, "N0"),
            _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? Cells.Missing,
        };
        WriteColumns(writer, ["field", "value"], Geometry(model).Select(f => new[] { f.Key, Text(f.Value) }).ToList());
    }

    /// <summary>One model's geometry as JSON (<see cref="Write(TextWriter, ModelSpec)"/>).</summary>
    public static object ToJson(ModelSpec model) => Geometry(model);

    private static Dictionary<string, object?> Geometry(ModelSpec m) => new()
    {
        ["id"] = m.Id,
        ["alias_of"] = m.AliasOf,
        ["total_params"] = m.TotalParams,
        ["active_params"] = m.ActiveParams,
        ["weights"] = Weights(m),
        ["kv_cache_declared"] = m.CheckpointKvDtype?.Name(),
        ["attention"] = Attention(m),
        ["layers"] = m.Layers,
        ["hidden"] = m.Hidden,
        ["heads"] = m.Heads,
        ["kv_heads"] = m.KvHeads,
        ["head_dim"] = m.HeadDim,
        ["ffn"] = m.Ffn,
        ["vocab"] = m.Vocab,
        ["tied_embeddings"] = m.TiedEmbeddings,
        ["max_context"] = m.MaxContext,
        ["experts"] = m.Moe is { } moe ? $"{moe.RoutedExperts} routed (top {moe.ExpertsPerToken}) + {moe.SharedExperts} shared, width {moe.ExpertFfn}" + (moe.LatentSize > 0 ? $" on a {moe.LatentSize} latent" : "") + $", {moe.DenseLayers} layers without experts" : null,
        ["nas"] = m.Nas is { } nas ? FormattableString.Invariant($"{nas.AttentionLayers}/{m.Layers} layers with attention, {nas.MlpLayers} MLPs of {nas.MlpWidthSum:N0} summed width (widest {m.Ffn:N0})") : null,
        ["compressed_attention"] = m.Compressed is { } c
            ? FormattableString.Invariant($"window {c.WindowTokens} in every layer; {c.SparseLayers} layers of 1/{c.SparseRatio} entries (indexer {c.IndexerHeads} x {c.IndexerHeadDim}, top-{c.TopK}), {c.DenseLayers} of 1/{c.DenseRatio}; head {c.HeadDim} shared by keys and values, q_lora {c.QLoraRank}, {c.OutputGroups} output groups of {c.OutputLoraRank}, {c.ResidualStreams} residual streams")
            : null,
        ["mla"] = m.Mla is { } mla ? $"q_lora {mla.QLoraRank}, kv_lora {mla.KvLoraRank}, nope {mla.QkNopeHeadDim}, rope {mla.QkRopeHeadDim}, v {mla.VHeadDim}" + (mla.IndexerTopK > 0 ? $", DSA top-{mla.IndexerTopK}" + (mla.IndexedLayers > 0 ? $" (indexer on {mla.IndexedLayers}/{m.Layers} layers)" : "") : "") : null,
        ["linear_attention"] = m.Linear is { } linear
            ? FormattableString.Invariant($"{linear.Layers}/{m.Layers} layers {linear.Mixer}, ") + (linear.IsMamba2
                ? FormattableString.Invariant($"{linear.ValueHeads} heads of {linear.ValueHeadDim}, {linear.KeyHeads} groups, state {linear.KeyHeadDim}")
                : FormattableString.Invariant($"{linear.KeyHeads} q/k heads of {linear.KeyHeadDim}, {linear.ValueHeads} v heads of {linear.ValueHeadDim}"))
              + FormattableString.Invariant($", conv {linear.ConvKernel}; state {m.RecurrentStateBytesPerSequence:N0} bytes a sequence")
            : null,
        ["vision_encoder"] = m.Vision is { } vision ? FormattableString.Invariant($"{vision.Layers} layers of {vision.Hidden} (not run by text steps)") : null,
        ["kv_bytes_per_token_bf16"] = m.KvBytesPerToken(DType.Bf16),
    };

    private static void WriteColumns(TextWriter writer, string[] header, List<string[]> rows)
    {
        var widths = header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        foreach (var row in rows.Prepend(header))
            writer.WriteLine(string.Join("  ", row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i]))).TrimEnd());
    }

    public static object ToJson() => new Dictionary<string, object>
    {
        ["models"] = Models().Select(m => new Dictionary<string, object?>
        {
            ["id"] = m.Id,
            ["alias_of"] = m.AliasOf,
            ["total_params"] = m.TotalParams,
            ["active_params"] = m.ActiveParams,
            ["weights"] = Weights(m),
            ["attention"] = Attention(m),
            ["max_context"] = m.MaxContext,
        }).ToArray(),
        ["nim_names"] = NimNames().Select(n => new Dictionary<string, object?> { ["name"] = n.Key, ["id"] = n.Value }).ToArray(),
        ["gpus"] = GpuCatalog.All.Values.OrderBy(g => g.Id, StringComparer.Ordinal).Select(g => new Dictionary<string, object?>
        {
            ["id"] = g.Id,
            ["name"] = g.Name,
            ["aliases"] = GpuAliases.Of(g.Id).ToArray(),
        }).ToArray(),
    };

    private static IEnumerable<KeyValuePair<string, string>> NimNames() =>
        ModelCatalog.NimModelNames.OrderBy(n => n.Key, StringComparer.OrdinalIgnoreCase);

    private static string Weights(ModelSpec m) => (m.CheckpointDtype ?? DType.Bf16).Name();

    private static string Attention(ModelSpec m) =>
        (m.Compressed is not null ? "CSA+HCA" : m.Attention == AttentionKind.Mla ? m.Mla!.IndexerTopK > 0 ? "MLA+DSA" : "MLA" : m.KvHeads == m.Heads ? "MHA" : "GQA")
        + (m.Window is { } w ? $", {w.Layers}/{m.Layers} {(w.Chunked ? "chunked" : "windowed")} {w.Tokens}" : "")
        + (m.GlobalAttention is { } g ? $" (full layers {g.KvHeads} KV heads of {g.HeadDim}{(g.KeysAreValues ? ", keys as values" : "")})" : "")
        + (m.Nas is { } nas && m.Linear is null ? $", NAS {nas.AttentionLayers}/{m.Layers} attention" : "")
        + (m.Linear is { } linear ? $", hybrid {m.AttentionLayers}/{m.Layers} attention + {linear.Layers} {linear.Mixer}" : "")
        + (m.Moe is { } moe ? $", MoE {moe.ExpertsPerToken}/{moe.RoutedExperts}" : "");
}
