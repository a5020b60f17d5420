using System.Globalization;
using DisaggServing.Engine.Calibration;
using DisaggServing.Engine.Performance;

namespace DisaggServing.Cli.Output;

/// <summary>A profile fit as text: the constants before and after, and every point's error before and after.</summary>
internal static class ProfileFitTable
{
    public static void Write(TextWriter writer, ProfileFit fit)
    {
        writer.WriteLine("constant              before      after");
        Line(writer, "gemm_efficiency", fit.Before.GemmEfficiency, fit.After.GemmEfficiency, "F3");
        Line(writer, "hbm_efficiency", fit.Before.HbmEfficiency, fit.After.HbmEfficiency, "F3");
        Line(writer, "step_overhead_ms", fit.Before.StepSeconds * 1e3, fit.After.StepSeconds * 1e3, "F3");
        Line(writer, "first_token_ms", fit.Before.FirstTokenSeconds * 1e3, fit.After.FirstTokenSeconds * 1e3, "F2");
        writer.WriteLine();
        var width = Math.Max(34, fit.Rows.Select(r => r.Point.Label.Length).DefaultIfEmpty(0).Max());
        writer.WriteLine($"{"point".PadRight(width)} {"metric",-21} {"measured",9} {"before",9} {"after",9}");
        foreach (var r in fit.Rows)
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{r.Point.Label.PadRight(width)} {r.Point.Metric,-21} {r.Point.Measured,9:G5} {Cells.SignedPercent(r.ErrorBefore),9} {Cells.SignedPercent(r.ErrorAfter),9}"));
        var before = fit.Rows.Select(r => Math.Abs(r.ErrorBefore)).DefaultIfEmpty(0).Max();
        var after = fit.Rows.Select(r => Math.Abs(r.ErrorAfter)).DefaultIfEmpty(0).Max();
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"worst |error|: before {before:P1}, after {after:P1}"));
    }

    private static void Line(TextWriter writer, string name, double before, double after, string format) =>
        writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name,-20} {before.ToString(format, CultureInfo.InvariantCulture),8} {after.ToString(format, CultureInfo.InvariantCulture),10}"));
}
