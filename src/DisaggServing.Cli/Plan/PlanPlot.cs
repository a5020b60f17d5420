using System.Globalization;
using System.Net;
using System.Text;
using DisaggServing.Cli.Output;
using DisaggServing.Engine;
using DisaggServing.Engine.Planning;
using ScottPlot;

namespace DisaggServing.Cli.Plan;

/// <summary>
/// <c>plan --plot FILE.png|FILE.html</c>: goodput against $/hour of every candidate, P/D and colocated apart, the
/// Pareto frontier (no other candidate is cheaper and serves more) joined, the requested rate as a line and the best
/// circled. HTML adds the candidate table around the chart as inline SVG.
/// </summary>
internal static class PlanPlot
{
    public const string Option = "--plot";

    /// <summary>Checks the extension and directory at parse time, so a typo does not cost a whole search.</summary>
    public static string Parse(string path)
    {
        var extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension is not (".png" or ".html"))
            throw new InputException($"{Option} {path}: use FILE.png (an image) or FILE.html (a page with the chart and the candidate table).");
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null && !Directory.Exists(directory))
            throw new InputException($"{Option} {path}: the directory {directory} does not exist.");
        return path;
    }

    public static void Write(string path, PlanResult result, double rate, string title)
    {
        var plot = Chart(result, rate, title);
        try
        {
            if (path.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
                File.WriteAllBytes(path, plot.GetImageBytes(1100, 620, ImageFormat.Png));
            else
                File.WriteAllText(path, Html(result, title, plot.GetSvgXml(1100, 620)));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException($"{Option} {path}: cannot write the file: {e.Message}");
        }
    }

    /// <summary>Candidates no other beats on both cost and goodput, cheapest first.</summary>
    public static IReadOnlyList<PlanCandidate> Frontier(IEnumerable<PlanCandidate> candidates)
    {
        var frontier = new List<PlanCandidate>();
        foreach (var c in candidates.OrderBy(c => c.UsdPerHour).ThenByDescending(c => c.GoodputRps))
            if (frontier.Count == 0 || c.GoodputRps > frontier[^1].GoodputRps) frontier.Add(c);
        return frontier;
    }

    private static Plot Chart(PlanResult result, double rate, string title)
    {
        var plot = new Plot();
        plot.Title(title, 11);
        plot.XLabel("cost ($/hour)");
        plot.YLabel("goodput (requests/s within the SLO)");
        foreach (var (label, disaggregated, color) in new[] { ("P/D", true, Colors.SteelBlue), ("colocated", false, Colors.DarkOrange) })
        {
            var points = result.Candidates.Where(c => c.IsDisaggregated == disaggregated).ToList();
            if (points.Count == 0) continue;
            var scatter = plot.Add.ScatterPoints(points.Select(c => c.UsdPerHour).ToArray(), points.Select(c => c.GoodputRps).ToArray(), color);
            scatter.MarkerSize = 9;
            scatter.LegendText = label;
        }
        var frontier = Frontier(result.Candidates);
        if (frontier.Count > 1)
        {
            var line = plot.Add.ScatterLine(frontier.Select(c => c.UsdPerHour).ToArray(), frontier.Select(c => c.GoodputRps).ToArray(), Colors.Gray);
            line.LinePattern = LinePattern.Dashed;
            line.LegendText = "Pareto frontier";
        }
        var target = plot.Add.HorizontalLine(rate, 1.5f, Colors.Red, LinePattern.Dotted);
        target.LegendText = string.Create(CultureInfo.InvariantCulture, $"rate {rate} req/s");
        if (result.Best is { } best)
        {
            var marker = plot.Add.Marker(best.UsdPerHour, best.GoodputRps, MarkerShape.OpenCircle, 22, Colors.Green);
            marker.LegendText = $"best: {best.Describe()}";
        }
        plot.ShowLegend(Edge.Right);
        return plot;
    }

    private static string Html(PlanResult result, string title, string svg)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>disagg plan</title>\n")
            .Append("<style>body{font-family:system-ui,sans-serif;max-width:1200px;margin:1.5rem auto}table{border-collapse:collapse}")
            .Append("th,td{border:1px solid #ccc;padding:.2rem .6rem}td.n{text-align:right}svg{width:100%;height:auto}</style>\n</head>\n<body>\n")
            .Append("<h1>disagg plan</h1>\n<p>").Append(WebUtility.HtmlEncode(title)).Append("</p>\n")
            .Append(svg).Append("\n<table>\n<tr>");
        foreach (var header in PlanTable.Headers) html.Append("<th>").Append(WebUtility.HtmlEncode(header)).Append("</th>");
        html.Append("</tr>\n");
        foreach (var row in PlanTable.Rows(result))
        {
            html.Append("<tr>");
            for (var i = 0; i < row.Length; i++) html.Append(i < 2 ? "<td>" : "<td class=\"n\">").Append(WebUtility.HtmlEncode(row[i])).Append("</td>");
            html.Append("</tr>\n");
        }
        return html.Append("</table>\n</body>\n</html>\n").ToString();
    }
}
