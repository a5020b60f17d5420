using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using DisaggServing.Engine;
using DisaggServing.Engine.Catalog;

namespace DisaggServing.Cli.Commands;

/// <summary>
/// Option factories whose range checks and parsers fail at parse time, with messages that name the option, so
/// every bad value exits 2 before any work starts.
/// </summary>
internal static class CliOptions
{
    public static Option<T> Required<T>(Option<T> option)
    {
        option.Required = true;
        return option;
    }

    public static Option<bool> Flag(string name, string description) => new(name) { Description = description };

    /// <summary>A whole number of at least 1: required when <paramref name="defaultValue"/> is null.</summary>
    public static Option<int> PositiveInt(string name, string description, int? defaultValue = null)
    {
        var option = new Option<int>(name) { Description = description, HelpName = "N", CustomParser = result => ParsePositiveInt(result, name) };
        if (defaultValue is { } value)
        {
            option.DefaultValueFactory = _ => value;
        }
        else
        {
            option.Required = true;
        }

        return option;
    }

    public static Option<int?> OptionalPositiveInt(string name, string description) =>
        new(name) { Description = description, HelpName = "N", CustomParser = result => ParsePositiveInt(result, name) };

    /// <summary>A whole number of at least 0, or absent.</summary>
    public static Option<int?> OptionalNonNegativeInt(string name, string description) =>
        new(name) { Description = description, HelpName = "N", CustomParser = result => ParseInt(result, name, min: 0) };

    /// <summary>A positive finite number, optionally capped at <paramref name="max"/> (inclusive).</summary>
    public static Option<double?> PositiveDouble(string name, string description, double? max = null, string helpName = "X", bool allowInfinity = false) =>
        new(name) { Description = description, HelpName = helpName, CustomParser = result => ParsePositiveDouble(result, name, max, allowInfinity) };

    /// <summary>
    /// A weight or KV format option (<see cref="DTypes.ParseOrAuto"/>): a format's name, checked when
    /// parsed, or <c>auto</c>; read it with <see cref="Format"/>, which gives null for auto (the default). A string
    /// option whose parser never returns null: System.CommandLine converts a custom parser's null again, and fails.
    /// </summary>
    public static Option<string?> FormatOption(string name, string description, string helpName) =>
        Parsed<string?>(name, description, helpName, text =>
        {
            DTypes.ParseOrAuto(text, name);
            return text;
        });

    /// <summary>The format a <see cref="FormatOption"/> was given, or null for auto or when absent.</summary>
    public static DType? Format(ParseResult parse, Option<string?> option) =>
        DTypes.ParseOrAuto(parse.GetValue(option), option.Name);

    /// <summary>
    /// An option whose token goes through an engine parser; its <see cref="InputException"/> becomes a parse error,
    /// prefixed with the option name when the engine's message does not already say it.
    /// </summary>
    public static Option<T> Parsed<T>(string name, string description, string helpName, Func<string, T> parse)
    {
        return new Option<T>(name)
        {
            Description = description,
            HelpName = helpName,
            CustomParser = result => ParseToken(result, name, parse),
        };
    }

    private static T? ParseToken<T>(ArgumentResult result, string name, Func<string, T> parse)
    {
        var text = LastToken(result);
        try
        {
            return parse(text);
        }
        catch (InputException e)
        {
            result.AddError(e.Message.Contains(name, StringComparison.Ordinal) ? e.Message : $"{name}: {e.Message}");
            return default;
        }
    }

    private static int ParsePositiveInt(ArgumentResult result, string name) => ParseInt(result, name, min: 1);

    private static int ParseInt(ArgumentResult result, string name, int min)
    {
        var text = LastToken(result);
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            result.AddError($"{name} '{text}' is not a whole number.");
        }
        else if (value < min)
        {
            var what = min == 0 ? "0 or a positive integer" : "a positive integer";
            result.AddError(string.Create(CultureInfo.InvariantCulture, $"{name} must be {what}; got {value}."));
        }

        return value;
    }

    private static double? ParsePositiveDouble(ArgumentResult result, string name, double? max, bool allowInfinity = false)
    {
        var text = LastToken(result);
        if (allowInfinity && text.Trim().ToLowerInvariant() is "inf" or "infinity") return double.PositiveInfinity;
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            result.AddError($"{name} '{text}' is not a number.");
        }
        else if (!(value > 0 && double.IsFinite(value) && (max is null || value <= max)))
        {
            var range = max is { } cap ? string.Create(CultureInfo.InvariantCulture, $"in (0, {cap}]") : "a positive number";
            result.AddError(string.Create(CultureInfo.InvariantCulture, $"{name} must be {range}; got {text}."));
        }

        return value;
    }

    // Repeating an option keeps the last value, as most CLIs do.
    private static string LastToken(ArgumentResult result) => result.Tokens.Count > 0 ? result.Tokens[^1].Value : string.Empty;
}
