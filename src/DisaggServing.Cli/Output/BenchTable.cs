using DisaggServing.Cli.Bench;
using DisaggServing.Engine.Metrics;
using Spectre.Console;

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
        Add(table, "requests (completed / sent)", $"{Cells.Format(report.Completed)} / {Cells.Format(report.Requests)}");
        Add(table, "errors", report.Errors.Count == 0 ? "none" : string.Join(", ", report.Errors.Select(e => $"{e.Key}: {Cells.Format(e.Value)}")));
        Add(table, "duration (s)", Cells.Format(report.DurationSeconds, "F2"));
        Add(table, "throughput (req/s)", Cells.Format(report.RequestThroughput, "F2"));
        Add(table, "throughput (output tokens/s)", Cells.Format(report.OutputTokenThroughput, "F1"));
        Add(table, "throughput (total tokens/s)", Cells.Format(report.TotalTokenThroughput, "F1"));
        Add(table, "tokens (input / output)", $"{Cells.Format(report.InputTokens)} / {Cells.Format(report.OutputTokens)}");
        Add(table, "SLO", report.Slo.ToString());
        Add(table, "SLO attainment", Cells.Format(report.SloAttainment * 100, "F1") + " %");
        Add(table, "goodput (req/s)", Cells.Format(report.GoodputRps, "F2"));
        return table;
    }

    private static void Add(Table table, string name, string value) => table.AddRow(Cells.Text(name), Cells.Text(value));
}
