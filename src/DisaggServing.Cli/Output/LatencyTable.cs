using DisaggServing.Engine.Metrics;
using Spectre.Console;

namespace DisaggServing.Cli.Output;

/// <summary>The latency-percentile table that <c>bench</c> and <c>simulate</c> both print: TTFT, TPOT, ITL and E2E in ms.</summary>
internal static class LatencyTable
{
    private static readonly string[] Columns = ["count", "mean", "p50", "p90", "p95", "p99", "max"];

    public static Table Of(LatencySummary ttft, LatencySummary tpot, LatencySummary itl, LatencySummary e2e)
    {
        var table = new Table().AddColumn("latency (ms)");
        foreach (var column in Columns)
            table.AddColumn(new TableColumn(column).RightAligned());
        Row(table, "TTFT", ttft);
        Row(table, "TPOT", tpot);
        Row(table, "ITL", itl);
        Row(table, "E2E", e2e);
        return table;
    }

    private static void Row(Table table, string name, LatencySummary s) => table.AddRow(
        Cells.Text(name), Cells.Number(s.Count, "N0"), Cells.Number(s.Mean, "F2"), Cells.Number(s.P50, "F2"),
        Cells.Number(s.P90, "F2"), Cells.Number(s.P95, "F2"), Cells.Number(s.P99, "F2"), Cells.Number(s.Max, "F2"));
}
