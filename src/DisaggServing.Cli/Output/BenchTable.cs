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
        console.Write(LatencyTable.Of(report.TtftMs, report.TpotMs, report.ItlMs, report.E2eMs));
        console.Write(Summary(report));
    }

    private static Table Summary(BenchReport report)
    {
        var table = new Table().AddColumn("").AddColumn(new TableColumn("value").RightAligned());
        foreach (var (label, value) in BenchSummaryRows.Of(report, errorsInline: true))
            Add(table, label, value);
        return table;
    }

    private static void Add(Table table, string name, string value) => table.AddRow(Cells.Text(name), Cells.Text(value));
}
