using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace DisaggServing.Cli.Output;

/// <summary>Table cells: plain text (never markup, so ids with brackets print as is) and invariant numbers.</summary>
internal static class Cells
{
    public const string Missing = "-";

    public static IRenderable Text(string text) => new Text(text);

    public static IRenderable Number(double? value, string format = "F1") =>
        new Text(value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : Missing) { Justification = Justify.Right };

    public static string Format(double? value, string format = "F1") =>
        value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : Missing;

    public static string Format(long? value) => value is { } v ? v.ToString("N0", CultureInfo.InvariantCulture) : Missing;

    /// <summary>An unsigned share, one decimal: 0.043 prints 4.3%.</summary>
    public static string Percent(double share) => (share * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    /// <summary>A signed relative error, one decimal: -0.04 prints -4.0%, and one that rounds to zero prints +0.0%
    /// (a "+0.0%;-0.0%" format string prints a tiny negative one as "-+0.0%").</summary>
    public static string SignedPercent(double error)
    {
        var rounded = Math.Round(error * 100, 1);
        return (rounded < 0 ? "" : "+") + (rounded == 0 ? 0 : rounded).ToString("0.0", CultureInfo.InvariantCulture) + "%";
    }
}
