using DisaggServing.Engine.Catalog;
using Spectre.Console;

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

    public static void Write(TextWriter writer)
    {
        var models = new Table { Title = new TableTitle($"models: {ModelCatalog.All.Count} catalogued, {ModelCatalog.Aliases.Count} aliases") }
            .AddColumn("id").AddColumn("alias of")
            .AddColumn(new TableColumn("params (B)").RightAligned()).AddColumn(new TableColumn("active (B)").RightAligned())
            .AddColumn("weights").AddColumn("attention").AddColumn(new TableColumn("context").RightAligned());
        foreach (var m in Models())
            models.AddRow(Cells.Text(m.Id), Cells.Text(m.AliasOf ?? ""), Cells.Number(m.TotalParams / 1e9), Cells.Number(m.ActiveParams / 1e9),
                Cells.Text(Weights(m)), Cells.Text(Attention(m)), Cells.Text(Cells.Format((long)m.MaxContext)));
        var console = ConsoleFactory.For(writer);
        console.Write(models);

        var gpus = new Table { Title = new TableTitle("GPUs") }.AddColumn("id").AddColumn("name").AddColumn("aliases");
        foreach (var g in GpuCatalog.All.Values.OrderBy(g => g.Id, StringComparer.Ordinal))
            gpus.AddRow(Cells.Text(g.Id), Cells.Text(g.Name), Cells.Text(string.Join(", ", GpuAliases.Of(g.Id))));
        console.Write(gpus);
        writer.WriteLine("Ids and aliases are case-insensitive; a quantized checkpoint implies its --dtype, a BF16 one runs as given or with --dtype fp8/fp4.");
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
        ["gpus"] = GpuCatalog.All.Values.OrderBy(g => g.Id, StringComparer.Ordinal).Select(g => new Dictionary<string, object?>
        {
            ["id"] = g.Id,
            ["name"] = g.Name,
            ["aliases"] = GpuAliases.Of(g.Id).ToArray(),
        }).ToArray(),
    };

    private static string Weights(ModelSpec m) => (m.CheckpointDtype ?? DType.Bf16).Name();

    private static string Attention(ModelSpec m) =>
        (m.Attention == AttentionKind.Mla ? m.Mla!.IndexerTopK > 0 ? "MLA+DSA" : "MLA" : "GQA")
        + (m.Window is { } w ? $", {w.Layers}/{m.Layers} {(w.Chunked ? "chunked" : "windowed")} {w.Tokens}" : "")
        + (m.Moe is { } moe ? $", MoE {moe.ExpertsPerToken}/{moe.RoutedExperts}" : "");
}
