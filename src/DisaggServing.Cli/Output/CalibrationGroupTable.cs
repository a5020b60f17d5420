using DisaggServing.Engine.Calibration;

namespace DisaggServing.Cli.Output;

/// <summary><c>disagg calibrate --by-source</c>: one line per source and metric, as aligned text, Markdown or JSON.</summary>
internal static class CalibrationGroupTable
{
    // Plain aligned text, each source on a line of its own above its metrics: a source's name is longer than a table
    // column of an 80-character terminal could hold whole.
    public static void Write(TextWriter writer, IReadOnlyList<CalibrationRow> rows)
    {
        writer.WriteLine("calibration by source: predicted vs published (error above 0: the model predicts more)");
        writer.WriteLine($"{"",-14}{"figures",8}{"held out",9}{"|error| p50",12}{"error p50",10}{"≤±15%",7}{">±25%",7}{"worst",8}");
        string? source = null;
        foreach (var g in CalibrationGroup.Of(rows))
        {
            if (g.Source != source) writer.WriteLine(source = g.Source);
            writer.WriteLine($"  {CalibrationTable.Metric(g.Metric),-12}{Cells.Format(g.Figures),8}{Cells.Format(g.HeldOut),9}{Cells.Percent(g.MedianAbsError),12}" +
                $"{Cells.SignedPercent(g.MedianError),10}{Cells.Format(g.Within),7}{Cells.Format(g.Beyond25),7}{Cells.Percent(g.Worst),8}");
        }
        CalibrationTable.WriteSummary(writer, rows);
    }

    public static void WriteMarkdown(TextWriter writer, IReadOnlyList<CalibrationRow> rows)
    {
        writer.WriteLine("| source | metric | figures | held out | median \\|error\\| | median error | within ±15% | beyond ±25% | worst |");
        writer.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var g in CalibrationGroup.Of(rows))
            writer.WriteLine($"| {g.Source} | {CalibrationTable.Metric(g.Metric)} | {Cells.Format(g.Figures)} | {Cells.Format(g.HeldOut)} | {Cells.Percent(g.MedianAbsError)} | {Cells.SignedPercent(g.MedianError)} | {Cells.Format(g.Within)} | {Cells.Format(g.Beyond25)} | {Cells.Percent(g.Worst)} |");
    }

    public static object ToJson(IReadOnlyList<CalibrationRow> rows) => CalibrationGroup.Of(rows).Select(g => new Dictionary<string, object?>
    {
        ["source"] = g.Source,
        ["metric"] = CalibrationTable.Metric(g.Metric),
        ["figures"] = g.Figures,
        ["held_out"] = g.HeldOut,
        ["median_abs_error"] = g.MedianAbsError,
        ["median_error"] = g.MedianError,
        ["within_tolerance"] = g.Within,
        ["beyond_25_percent"] = g.Beyond25,
        ["worst_abs_error"] = g.Worst,
    }).ToList();
}
