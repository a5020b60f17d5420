using System.Globalization;
using System.Text.Json;
using DisaggServing.Engine.Metrics;
using Spectre.Console;

namespace DisaggServing.Cli.Output;

/// <summary>A <see cref="SimulationReport"/> as a latency-percentile table followed by a summary table.</summary>
internal static class SimulationTable
{
    public static void Write(TextWriter writer, SimulationReport report, string title)
    {
        var console = ConsoleFactory.For(writer);

        // A plain line, not a table title: titles wrap to the table's width and the cluster description is long.
        console.WriteLine(title);
        console.Write(LatencyTable.Of(report.TtftMs, report.TpotMs, report.ItlMs, report.E2eMs));
        console.Write(Summary(report));
    }

    private static Table Summary(SimulationReport report)
    {
        var table = new Table().AddColumn("").AddColumn(new TableColumn("value").RightAligned());
        Add(table, "requests (completed / arrived)", $"{Cells.Format(report.Completed)} / {Cells.Format(report.Requests)}");
        Add(table, "SLO", report.Slo.ToString());
        Add(table, "SLO attainment", Cells.Format(report.SloAttainment * 100, "F1") + " %");
        Add(table, "goodput (req/s)", Cells.Format(report.GoodputRps, "F2"));
        Add(table, "throughput (req/s)", Cells.Format(report.RequestsPerSecond, "F2"));
        Add(table, "throughput (output tokens/s)", Cells.Format(report.OutputTokensPerSecond));
        if (report.Preemptions is { } preemptions) Add(table, "preemptions", Cells.Format(preemptions));
        if (report.PromptsHeldForRoom is { } held) Add(table, "prompts held for room", Cells.Format(held));
        if (report.KvTransfers is { } transfers) Add(table, "KV transfers", Cells.Format(transfers));
        if (report.MeanKvTransferMs is { } transferMs) Add(table, "mean KV transfer (ms)", Cells.Format(transferMs, "F2"));
        if (report.PrefixCacheHitRate is { } hitRate)
            Add(table, "prefix cache hit rate", $"{Cells.Format(hitRate * 100, "F1")} % ({Cells.Format(report.PrefixCacheHits ?? 0)} / {Cells.Format(report.PrefixCacheQueries ?? 0)} tokens)");
        if (report.Decisions is { Count: > 0 } decisions)
            Add(table, "P/D decisions", string.Join(", ", decisions.OrderByDescending(d => d.Value).Select(d => $"{d.Key} {Cells.Format(d.Value)}")));
        foreach (var (name, value) in report.Extra ?? [])
        {
            Add(table, name, Describe(value));
        }

        Add(table, "simulated s", Cells.Format(report.SimulatedSeconds, "F2"));
        Add(table, "wall s", Cells.Format(report.WallSeconds, "F2"));
        return table;
    }

    private static void Add(Table table, string name, string value) => table.AddRow(Cells.Text(name), Cells.Text(value));

    // Extras come from the simulator as CLR values or, after a JSON round trip, as JsonElements.
    private static string Describe(object? value) => value switch
    {
        null => Cells.Missing,
        string text => text,
        // Re-serialized rather than raw text: the report's JSON is indented and a cell wants one line.
        JsonElement element => element.ValueKind == JsonValueKind.String ? element.GetString() ?? "" : JsonSerializer.Serialize(element),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => JsonSerializer.Serialize(value),
    };
}
