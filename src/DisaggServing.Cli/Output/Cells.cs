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
}
