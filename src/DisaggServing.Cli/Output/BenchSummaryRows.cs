using DisaggServing.Cli.Bench;
using DisaggServing.Bench;

namespace DisaggServing.Cli.Output;

/// <summary>The summary of a <see cref="BenchReport"/> as label/value rows, shared by the console table and the HTML page.</summary>
internal static class BenchSummaryRows
{
    /// <param name="report">The report.</param>
    /// <param name="errorsInline">The errors by status in one row (the console); else just the failed count (the page lists them apart).</param>
    public static IEnumerable<(string Label, string Value)> Of(BenchReport report, bool errorsInline)
    {
        yield return ("requests (completed / sent)", $"{Cells.Format(report.Completed)} / {Cells.Format(report.Requests)}");
        yield return errorsInline
            ? ("errors", report.Errors.Count == 0 ? "none" : string.Join(", ", report.Errors.Select(e => $"{e.Key}: {Cells.Format(e.Value)}")))
            : ("failed", Cells.Format(report.Failed));
        yield return ("duration (s)", Cells.Format(report.DurationSeconds, "F2"));
        yield return ("throughput (req/s)", Cells.Format(report.RequestThroughput, "F2"));
        yield return ("throughput (output tokens/s)", Cells.Format(report.OutputTokenThroughput, "F1"));
        yield return ("throughput (total tokens/s)", Cells.Format(report.TotalTokenThroughput, "F1"));
        yield return ("tokens (input / output)", $"{Cells.Format(report.InputTokens)} / {Cells.Format(report.OutputTokens)}");
        yield return ("SLO", report.Slo.ToString());
        yield return ("SLO attainment", Cells.Format(report.SloAttainment * 100, "F1") + " %");
        yield return ("goodput (req/s)", Cells.Format(report.GoodputRps, "F2"));
    }
}
