using System.Globalization;
using System.Text.RegularExpressions;
using ScottPlot;
using ScottPlot.TickGenerators;
using SkiaSharp;
using DisaggServing.Bench;

namespace DisaggServing.Cli.Bench;

/// <summary>
/// Draws <see cref="BenchPlotData"/> with ScottPlot: the latency CDFs on a log-scale x axis (TTFT, TPOT, ITL and E2E
/// differ by orders of magnitude, so one linear axis would flatten all but the slowest) and TTFT against start time,
/// failures as red crosses. PNG stacks both charts; SVG gives each chart alone for the HTML page.
/// </summary>
internal static partial class BenchPlotRenderer
{
    public const int Width = 1200;
    public const int ChartHeight = 560;

    /// <summary>1 µs, the resolution of the report's ITL histogram: the log axis needs a floor for gaps of 0.</summary>
    private const double FloorMs = 1e-3;

    private static readonly Color FailureColor = Colors.Red;

    /// <summary>
    /// A sans-serif family that is installed. Skia's fontconfig-free build cannot resolve the generic "sans-serif"
    /// (ScottPlot's own guess then lands on a serif), so well-known families are tried by name.
    /// </summary>
    private static readonly Lazy<string> SansFamily = new(() =>
        new[] { "DejaVu Sans", "Liberation Sans", "Noto Sans", "Arial", "Helvetica", "Segoe UI" }.FirstOrDefault(Installed) ?? Fonts.Default);

    /// <summary>Both charts stacked in one PNG, the run described in the top chart's title.</summary>
    public static byte[] Png(BenchPlotData data)
    {
        using var cdf = CdfChart(data, $"{data.Title}\nLatency CDFs");
        using var timeline = TimelineChart(data, "TTFT over the run");
        var multiplot = new Multiplot(cdf);
        multiplot.Subplots.Add(timeline);
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Rows();
        using var image = multiplot.Render(Width, 2 * ChartHeight);
        return image.GetImageBytes(ImageFormat.Png, 100);
    }

    /// <summary>The latency CDFs as an SVG element to inline in HTML (the page gives the title).</summary>
    public static string CdfSvg(BenchPlotData data)
    {
        using var plot = CdfChart(data, title: null);
        return InlineSvg(plot.GetSvgXml(Width, ChartHeight), "cdf-");
    }

    /// <summary>TTFT over the run as an SVG element to inline in HTML.</summary>
    public static string TimelineSvg(BenchPlotData data)
    {
        using var plot = TimelineChart(data, title: null);
        return InlineSvg(plot.GetSvgXml(Width, ChartHeight), "ttft-");
    }

    private static Plot CdfChart(BenchPlotData data, string? title)
    {
        var plot = NewPlot(title);
        var colors = new Dictionary<string, Color>(StringComparer.Ordinal);
        var palette = new ScottPlot.Palettes.Category10();
        for (var i = 0; i < data.Cdfs.Count; i++)
        {
            colors[data.Cdfs[i].Name] = palette.GetColor(i);
        }

        // Not streamed, TTFT is E2E: one curve, named for both, rather than one hidden under the other.
        var series = data.Cdfs.Where(s => s.Count > 0 && (data.Streamed || s.Name != "TTFT")).ToArray();
        foreach (var cdf in series)
        {
            // The empirical CDF is a step function: it rises from 0 at the smallest sample, at each sample, to 1.
            var line = plot.Add.ScatterLine(cdf.Ms.Prepend(cdf.Ms[0]).Select(Log).ToArray(), cdf.Fraction.Prepend(0).ToArray(), colors[cdf.Name]);
            line.ConnectStyle = ConnectStyle.StepHorizontal;
            line.LineWidth = 2;
            line.LegendText = cdf.Name == "E2E" && !data.Streamed
                ? Invariant($"E2E = TTFT, not streamed (n = {cdf.Count:N0})")
                : Invariant($"{cdf.Name} (n = {cdf.Count:N0})");
        }

        var bounds = series.SelectMany(s => s.Ms).ToList();
        if (data.SloTtftMs is { } ttft)
        {
            SloLine(plot.Add.VerticalLine(Log(ttft)), colors[data.Streamed ? "TTFT" : "E2E"], Invariant($"SLO TTFT {ttft:0.###} ms"));
            bounds.Add(ttft);
        }

        if (data.SloTpotMs is { } tpot)
        {
            SloLine(plot.Add.VerticalLine(Log(tpot)), colors["TPOT"], Invariant($"SLO TPOT {tpot:0.###} ms"));
            bounds.Add(tpot);
        }

        if (bounds.Count == 0)
        {
            plot.Add.Annotation("no successful request", Alignment.MiddleCenter);
        }

        // Whole decades at both ends, so the axis always has labelled powers of ten to read against.
        var low = (int)(bounds.Count == 0 ? 0 : Math.Floor(Log(bounds.Min())));
        var high = (int)(bounds.Count == 0 ? 3 : Math.Ceiling(Log(bounds.Max())));
        high = Math.Max(high, low + 1);
        plot.Axes.SetLimits(low, high, 0, 1.02);
        plot.Axes.Bottom.TickGenerator = DecadeTicks(low, high);
        plot.Grid.MinorLineWidth = 1;
        plot.XLabel("latency (ms, log scale)");
        plot.YLabel("fraction of samples <= x");
        ShowLegend(plot, series.Length > 0 || data.SloTtftMs is not null || data.SloTpotMs is not null);
        return plot;
    }

    /// <summary>
    /// Ticks for a log10 axis from 10^<paramref name="low"/> to 10^<paramref name="high"/> ms: a label at each power
    /// of ten, also at 2× and 5× when the range spans at most two decades (else a narrow range would show only two
    /// labels), and an unlabelled tick at every other multiple.
    /// </summary>
    private static NumericManual DecadeTicks(int low, int high)
    {
        var ticks = new NumericManual();
        var labelSubdecades = high - low <= 2;
        for (var exponent = low; exponent < high; exponent++)
        {
            for (var multiple = 1; multiple <= 9; multiple++)
            {
                var ms = multiple * Math.Pow(10, exponent);
                if (multiple == 1 || (labelSubdecades && multiple is 2 or 5))
                {
                    ticks.AddMajor(Math.Log10(ms), FormatMs(ms));
                }
                else
                {
                    ticks.AddMinor(Math.Log10(ms));
                }
            }
        }

        ticks.AddMajor(high, FormatMs(Math.Pow(10, high)));
        return ticks;
    }

    private static Plot TimelineChart(BenchPlotData data, string? title)
    {
        var plot = NewPlot(title);
        if (data.Successes.Length > 0)
        {
            var ok = plot.Add.Markers(data.Successes.Select(p => p.StartSeconds).ToArray(), data.Successes.Select(p => p.TtftMs).ToArray(),
                MarkerShape.FilledCircle, 5, Colors.C0);
            ok.LegendText = data.Successes.Length < data.SuccessCount
                ? Invariant($"succeeded ({data.SuccessCount:N0}; {data.Successes.Length:N0} shown)")
                : Invariant($"succeeded ({data.SuccessCount:N0})");
        }

        if (data.Failures.Length > 0)
        {
            // Failures have no TTFT: crosses on the time axis show when they were sent.
            var failed = plot.Add.Markers(data.Failures.Select(p => p.StartSeconds).ToArray(), data.Failures.Select(p => p.TtftMs).ToArray(),
                MarkerShape.Eks, 8, FailureColor);
            failed.MarkerLineWidth = 1.5f;
            failed.LegendText = Invariant($"failed ({data.FailureCount:N0}), at start time");
        }

        if (data.SloTtftMs is { } ttft)
        {
            SloLine(plot.Add.HorizontalLine(ttft), Colors.C0, Invariant($"SLO TTFT {ttft:0.###} ms"));
        }

        if (data.Successes.Length == 0 && data.Failures.Length == 0)
        {
            plot.Add.Annotation("no request sent", Alignment.MiddleCenter);
        }

        var highest = data.Successes.Select(p => p.TtftMs).Append(data.SloTtftMs ?? 0).Max();
        var latest = data.Successes.Concat(data.Failures).Select(p => p.StartSeconds).DefaultIfEmpty(0).Max();
        // A margin on every side, so markers at the first instant or at TTFT 0 (the failures) are drawn whole.
        var (width, height) = (latest > 0 ? latest : 1, highest > 0 ? highest : 1);
        plot.Axes.SetLimits(-0.02 * width, 1.03 * width, -0.04 * height, 1.1 * height);
        plot.XLabel("request start (s since the run began)");
        plot.YLabel(data.Streamed ? "TTFT (ms)" : "TTFT = E2E (ms)");
        ShowLegend(plot, data.Successes.Length > 0 || data.Failures.Length > 0 || data.SloTtftMs is not null);
        return plot;
    }

    /// <summary>The legend goes beside the chart, so it never hides a curve or a marker; a legend panel with no item
    /// would leave the whole image blank, so there is none then.</summary>
    private static void ShowLegend(Plot plot, bool hasItems)
    {
        if (hasItems)
        {
            plot.ShowLegend(Edge.Right);
        }
    }

    private static Plot NewPlot(string? title)
    {
        var plot = new Plot();
        plot.Font.Set(SansFamily.Value);
        // Room for the last x label, centred on the right edge, when no legend sits there.
        plot.Axes.Right.MinimumSize = 30;
        if (title is not null)
        {
            plot.Title(title, 15);
        }

        return plot;
    }

    private static void SloLine(ScottPlot.Plottables.AxisLine line, Color color, string text)
    {
        line.Color = color;
        line.LineWidth = 1.5f;
        line.LinePattern = LinePattern.Dashed;
        line.LegendText = text;
    }

    private static bool Installed(string family)
    {
        using var typeface = SKFontManager.Default.MatchFamily(family);
        return typeface?.FamilyName == family;
    }

    private static double Log(double ms) => Math.Log10(Math.Max(ms, FloorMs));

    private static string FormatMs(double ms) =>
        ms >= 1 ? ms.ToString("#,0", CultureInfo.InvariantCulture) : ms.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Makes Skia's standalone SVG document fit inside an HTML page: no XML declaration or namespace attributes (HTML
    /// puts &lt;svg&gt; in the SVG namespace itself, and the page then names no URL it does not need), a viewBox so it
    /// scales with the page, a generic fallback after the font Skia measured with, no trailing comma in glyph
    /// position lists (browsers may reject such a list whole, misplacing the text), and ids made unique to this chart
    /// (two charts share one page, and a clip path found by id must be this chart's own).
    /// </summary>
    internal static string InlineSvg(string svg, string idPrefix)
    {
        svg = XmlDeclaration().Replace(svg, "");
        svg = NamespaceAttribute().Replace(svg, "");
        svg = SvgSize().Replace(svg, m => $"""<svg viewBox="0 0 {m.Groups[1].Value} {m.Groups[2].Value}" width="{m.Groups[1].Value}" height="{m.Groups[2].Value}" role="img" """, 1);
        svg = FontFamily().Replace(svg, """font-family="$1, sans-serif" """.TrimEnd());
        svg = TrailingComma().Replace(svg, "$1\"");
        svg = IdReference().Replace(svg, m => m.Groups[1].Value + idPrefix + m.Groups[2].Value);
        return svg.Trim();
    }

    [GeneratedRegex(@"^\s*<\?xml[^>]*\?>\s*")]
    private static partial Regex XmlDeclaration();

    [GeneratedRegex(@"\s+xmlns(:\w+)?=""[^""]*""")]
    private static partial Regex NamespaceAttribute();

    [GeneratedRegex(@"<svg\s+width=""(\d+)""\s+height=""(\d+)""\s*")]
    private static partial Regex SvgSize();

    [GeneratedRegex(@"font-family=""([^"",]*)""")]
    private static partial Regex FontFamily();

    [GeneratedRegex(@"(\s[xy]=""[^""]*?),\s*""")]
    private static partial Regex TrailingComma();

    [GeneratedRegex(@"(\sid=""|url\(#|href=""#)([^"")]+)")]
    private static partial Regex IdReference();
}
