using System.Globalization;
using DisaggServing.Engine.Calibration;
using Spectre.Console;

namespace DisaggServing.Cli.Output;

/// <summary>Calibration rows as a console table, a Markdown table or JSON objects.</summary>
internal static class CalibrationTable
{
    public static void Write(TextWriter writer, IReadOnlyList<CalibrationRow> rows)
    {
        var table = new Table { Title = new TableTitle("calibration: predicted vs published") }
            .AddColumn("setup").AddColumn("metric")
            .AddColumn(new TableColumn("published").RightAligned())
            .AddColumn(new TableColumn("predicted").RightAligned())
            .AddColumn(new TableColumn("error").RightAligned())
            .AddColumn("");
        foreach (var r in rows)
            table.AddRow(Cells.Text(r.Point.Setup), Cells.Text(Metric(r.Point.Metric)), Cells.Text(Number(r.Point.Published)),
                Cells.Text(Number(r.Predicted)), Cells.Text(Cells.SignedPercent(r.Error)), Cells.Text(Verdict(r)));
        ConsoleFactory.For(writer).Write(table);
        WriteSummary(writer, rows);
        writer.WriteLine("Each row reproduces with:");
        for (var i = 0; i < rows.Count; i++)
            writer.WriteLine($"  {i + 1,3}. {rows[i].Point.Command}");
    }

    /// <summary>Median and worst error of the fitted and the held-out figures (a part with none, as under --match, is left out).</summary>
    public static void WriteSummary(TextWriter writer, IReadOnlyList<CalibrationRow> rows)
    {
        foreach (var heldOut in new[] { false, true })
        {
            var (median, worst, count) = CalibrationRunner.Summary(rows, heldOut);
            if (count == 0) continue;
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{(heldOut ? "held out of the fit" : "fitted on"),-20} {count,3} figures: median |error| {median:P1}, worst {worst:P1}"));
        }
    }

    public static void WriteMarkdown(TextWriter writer, IReadOnlyList<CalibrationRow> rows)
    {
        writer.WriteLine("| source | setup | metric | published | predicted | error | set | within ±15% | command |");
        writer.WriteLine("|---|---|---|---:|---:|---:|---|---|---|");
        foreach (var r in rows)
            writer.WriteLine($"| {r.Point.Source} | {r.Point.Setup} | {Metric(r.Point.Metric)} | {Number(r.Point.Published)} | {Number(r.Predicted)} | {Cells.SignedPercent(r.Error)} | {(r.Point.HeldOut ? "held out" : "fit")} | {Verdict(r)} | `{r.Point.Command}` |");
    }

    public static object ToJson(IReadOnlyList<CalibrationRow> rows) => rows.Select(r => new Dictionary<string, object?>
    {
        ["source"] = r.Point.Source,
        ["setup"] = r.Point.Setup,
        ["metric"] = Metric(r.Point.Metric),
        ["published"] = r.Point.Published,
        ["predicted"] = r.Predicted,
        ["error"] = r.Error,
        ["checked"] = r.Point.Checked,
        ["caveat"] = r.Point.Caveat,
        ["held_out"] = r.Point.HeldOut,
        // Predicted is the command's output tok/s times this (MLPerf's replicas of one engine on one system).
        ["replicas"] = r.Point.Replicas,
        ["command"] = r.Point.Command,
    }).ToList();

    private static string Verdict(CalibrationRow r) =>
        Math.Abs(r.Error) <= CalibrationRunner.Tolerance ? "yes" : r.Point.Checked ? "NO" : $"no ({r.Point.Caveat})";

    public static string Metric(CalibrationMetric metric) => metric switch
    {
        CalibrationMetric.OutputTokensPerSecond => "output tok/s",
        CalibrationMetric.TtftMeanMs => "TTFT mean ms",
        CalibrationMetric.ItlMeanMs => "ITL mean ms",
        CalibrationMetric.RequestsPerSecond => "requests/s",
        CalibrationMetric.E2eMeanMs => "E2E mean ms",
        CalibrationMetric.TtftMedianMs => "TTFT p50 ms",
        CalibrationMetric.TpotMedianMs => "TPOT p50 ms",
        _ => metric.ToString(),
    };

    private static string Number(double value) => value.ToString(value >= 100 ? "N0" : "N2", CultureInfo.InvariantCulture);
}
