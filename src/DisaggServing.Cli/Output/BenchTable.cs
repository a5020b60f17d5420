using DisaggServing.Cli.Bench;
using DisaggServing.Engine.Metrics;
using Spectre.Console;
using DisaggServing.Bench;

namespace DisaggServing.Cli.Output;

/// <summary>A <see cref="BenchReport"/> as a latency-percentile table followed by a summary table.</summary>
internal static class BenchTable
{
    public static void Write(TextWriter writer, BenchReport report)
    {
        var console = ConsoleFactory.For(writer);
        console.WriteLine(report.Describe());
        console.Write(Latencies(report));
        console.Write(Summary(report));
    }

    private static Table Latencies(BenchReport report)
    {
        var table = new Table().AddColumn("latency (ms)");
        foreach (var column in new[] { "count", "mean", "p50", "p90", "p95", "p99", "max" })
        {
            table.AddColumn(new TableColumn(column).RightAligned());
        }

        Row(table, "TTFT", report.TtftMs);
        Row(table, "TPOT", report.TpotMs);
        Row(table, "ITL", report.ItlMs);
        Row(table, "E2E", report.E2eMs);
        return table;
    }

    private static void Row(Table table, string name, LatencySummary s) => table.AddRow(
        Cells.Text(name), Cells.Number(s.Count, "N0"), Cells.Number(s.Mean, "F2"), Cells.Number(s.P50, "F2"),
        Cells.Number(s.P90, "F2"), Cells.Number(s.P95, "F2"), Cells.Number(s.P99, "F2"), Cells.Number(s.Max, "F2"));

    private static Table Summary(BenchReport report)
    {
        var table = new Table().AddColumn("").AddColumn(new TableColumn("value").RightAligned());
        foreach (var (label, value) in BenchSummaryRows.Of(report, errorsInline: true))
            Add(table, label, value);
        return table;
    }

    private static void Add(Table table, string name, string value) => table.AddRow(Cells.Text(name), Cells.Text(value));
}
