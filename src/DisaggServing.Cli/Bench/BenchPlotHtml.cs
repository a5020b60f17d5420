using System.Globalization;
using System.Net;
using System.Text;
using DisaggServing.Cli.Output;
using DisaggServing.Engine.Metrics;
using DisaggServing.Bench;

namespace DisaggServing.Cli.Bench;

/// <summary>
/// The <c>bench --plot FILE.html</c> page: the report's tables and both charts as inline SVG in one file, with no
/// script, stylesheet, font or image fetched from anywhere, so it opens the same on an offline machine or as an
/// e-mail attachment.
/// </summary>
internal static class BenchPlotHtml
{
    private const string Style = """
        body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #222;
               max-width: 1240px; margin: 1.5rem auto; padding: 0 1rem; }
        h1 { font-size: 1.4rem; margin-bottom: .2rem; }
        h2 { font-size: 1.1rem; margin-top: 1.8rem; }
        table { border-collapse: collapse; margin: .5rem 0; }
        th, td { border: 1px solid #ccc; padding: .25rem .7rem; }
        th { background: #f3f3f3; text-align: left; }
        td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
        svg { display: block; width: 100%; height: auto; }
        """;

    public static string Render(BenchReport report, BenchPlotData data, string cdfSvg, string timelineSvg)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>disagg bench: ").Append(Encode(data.Title)).Append("</title>\n")
            .Append("<style>\n").Append(Style).Append("</style>\n</head>\n<body>\n")
            .Append("<h1>disagg bench</h1>\n<p>").Append(Encode(data.Title)).Append("</p>\n");

        html.Append("<h2>Latency (ms)</h2>\n<table>\n<tr><th>latency (ms)</th>");
        foreach (var column in new[] { "count", "mean", "p50", "p90", "p95", "p99", "max" })
        {
            html.Append("<th class=\"n\">").Append(column).Append("</th>");
        }

        html.Append("</tr>\n");
        LatencyRow(html, "TTFT", report.TtftMs);
        LatencyRow(html, "TPOT", report.TpotMs);
        LatencyRow(html, "ITL", report.ItlMs);
        LatencyRow(html, "E2E", report.E2eMs);
        html.Append("</table>\n");

        html.Append("<h2>Summary</h2>\n<table>\n");
        foreach (var (label, value) in BenchSummaryRows.Of(report, errorsInline: false))
        {
            Row(html, label, value);
        }

        html.Append("</table>\n");

        html.Append("<h2>Errors by status</h2>\n");
        if (report.Errors.Count == 0)
        {
            html.Append("<p>none</p>\n");
        }
        else
        {
            html.Append("<table>\n<tr><th>status</th><th class=\"n\">requests</th></tr>\n");
            foreach (var (status, count) in report.Errors)
            {
                Row(html, status, Cells.Format(count));
            }

            html.Append("</table>\n");
        }

        html.Append("<h2>Latency CDFs</h2>\n").Append(cdfSvg).Append('\n')
            .Append("<h2>TTFT over the run</h2>\n")
            .Append("<p>Each successful request's TTFT at the time it was sent; failed requests are red crosses at theirs.");
        if (data.Successes.Length < data.SuccessCount)
        {
            html.Append(Invariant($" {data.Successes.Length:N0} of the {data.SuccessCount:N0} successes are drawn: in each slice of the run, ") +
                        "the lowest, the middle and the highest TTFT.");
        }

        html.Append("</p>\n").Append(timelineSvg).Append("\n</body>\n</html>\n");
        return html.ToString();
    }

    private static void LatencyRow(StringBuilder html, string name, LatencySummary s)
    {
        html.Append("<tr><td>").Append(name).Append("</td>");
        foreach (var value in new[] { Cells.Format(s.Count), Cells.Format(s.Mean, "F2"), Cells.Format(s.P50, "F2"), Cells.Format(s.P90, "F2"),
                     Cells.Format(s.P95, "F2"), Cells.Format(s.P99, "F2"), Cells.Format(s.Max, "F2") })
        {
            html.Append("<td class=\"n\">").Append(value).Append("</td>");
        }

        html.Append("</tr>\n");
    }

    private static void Row(StringBuilder html, string name, string value) =>
        html.Append("<tr><td>").Append(Encode(name)).Append("</td><td class=\"n\">").Append(Encode(value)).Append("</td></tr>\n");

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
