using System.Globalization;
using System.Text.Json;
using DisaggServing.Protocol.OpenAi;

namespace DisaggServing.Protocol.Validation;

/// <summary>
/// Reads a field of a request body the way vLLM's pydantic models do in their default (lax) mode: an integer also from a
/// whole float (<c>5.0</c>), a digit string (<c>"5"</c>) or a boolean; a float also from a numeric string or a boolean; a
/// boolean also from 0/1 and <c>"true"</c>/<c>"yes"</c>/<c>"on"</c>/… . A field that is not Optional in vLLM's model
/// refuses null. Every refusal is a 400 <c>Bad Request</c> naming the field.
/// </summary>
public static class JsonValues
{
    /// <summary>The property, or null when it is absent.</summary>
    public static JsonElement? Get(JsonElement obj, string name) => obj.TryGetProperty(name, out var value) ? value : null;

    /// <summary>An integer field; <paramref name="nullable"/> says whether vLLM's model allows null.</summary>
    public static long? Int(JsonElement obj, string name, bool nullable = true, string? param = null) =>
        Get(obj, name) is { } value ? AsInt(value, param ?? name, nullable) : null;

    /// <summary>An integer value at <paramref name="where"/>.</summary>
    public static long? AsInt(JsonElement value, string where, bool nullable = true)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null when nullable:
                return null;
            case JsonValueKind.Number:
                if (value.TryGetInt64(out var whole)) return whole;
                if (value.TryGetDouble(out var d) && double.IsFinite(d))
                {
                    if (Math.Floor(d) != d) throw Type(where, "Input should be a valid integer, got a number with a fractional part");
                    if (d >= -9.2233720368547758E18 && d < 9.2233720368547758E18) return (long)d;
                }
                throw Type(where, "Input should be an integer that fits in 64 bits");
            case JsonValueKind.String when long.TryParse(value.GetString()!.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed):
                return parsed;
            case JsonValueKind.String:
                throw Type(where, "Input should be a valid integer, unable to parse string as an integer");
            case JsonValueKind.True:
                return 1;
            case JsonValueKind.False:
                return 0;
            default:
                throw Type(where, "Input should be a valid integer");
        }
    }

    /// <summary>A float field.</summary>
    public static double? Float(JsonElement obj, string name, bool nullable = true)
    {
        if (Get(obj, name) is not { } value) return null;
        switch (value.ValueKind)
        {
            case JsonValueKind.Null when nullable:
                return null;
            case JsonValueKind.Number:
                return value.GetDouble();
            case JsonValueKind.String when double.TryParse(value.GetString()!.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed):
                return parsed;
            case JsonValueKind.String:
                throw Type(name, "Input should be a valid number, unable to parse string as a number");
            case JsonValueKind.True:
                return 1;
            case JsonValueKind.False:
                return 0;
            default:
                throw Type(name, "Input should be a valid number");
        }
    }

    /// <summary>A boolean field.</summary>
    public static bool? Bool(JsonElement obj, string name, bool nullable = true) =>
        Get(obj, name) is { } value ? AsBool(value, name, nullable) : null;

    /// <summary>A boolean value at <paramref name="where"/>.</summary>
    public static bool? AsBool(JsonElement value, string where, bool nullable = true)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null when nullable:
                return null;
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            case JsonValueKind.Number when value.TryGetInt64(out var n) && n is 0 or 1:
                return n == 1;
            case JsonValueKind.String:
                switch (value.GetString()!.ToLowerInvariant())
                {
                    case "1" or "on" or "t" or "true" or "y" or "yes": return true;
                    case "0" or "off" or "f" or "false" or "n" or "no": return false;
                }
                throw Type(where, "Input should be a valid boolean, unable to interpret input");
            default:
                throw Type(where, "Input should be a valid boolean");
        }
    }

    /// <summary>A string field (pydantic converts nothing to a string).</summary>
    public static string? String(JsonElement obj, string name, bool nullable = true, string? param = null) =>
        Get(obj, name) is { } value ? AsString(value, param ?? name, nullable) : null;

    /// <summary>A string value at <paramref name="where"/>.</summary>
    public static string? AsString(JsonElement value, string where, bool nullable = true) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Null when nullable => null,
        _ => throw Type(where, "Input should be a valid string"),
    };

    /// <summary>An object field (a dict in vLLM's model), or null.</summary>
    public static JsonElement? Object(JsonElement obj, string name, bool nullable = true)
    {
        if (Get(obj, name) is not { } value || (nullable && value.ValueKind == JsonValueKind.Null)) return null;
        return value.ValueKind == JsonValueKind.Object ? value : throw Type(name, "Input should be a valid dictionary");
    }

    /// <summary>An array field (a list in vLLM's model), or null.</summary>
    public static JsonElement? Array(JsonElement obj, string name, bool nullable = true)
    {
        if (Get(obj, name) is not { } value || (nullable && value.ValueKind == JsonValueKind.Null)) return null;
        return value.ValueKind == JsonValueKind.Array ? value : throw Type(name, "Input should be a valid list");
    }

    /// <summary>A field that must be one of <paramref name="allowed"/> (a pydantic <c>Literal</c>).</summary>
    public static string? Literal(JsonElement obj, string name, bool nullable, params string[] allowed)
    {
        if (Get(obj, name) is not { } value || (nullable && value.ValueKind == JsonValueKind.Null)) return null;
        if (value.ValueKind == JsonValueKind.String && allowed.Contains(value.GetString()!)) return value.GetString();
        throw Type(name, $"Input should be {string.Join(" or ", allowed.Select(a => $"'{a}'"))}");
    }

    /// <summary>The 400 for a value of the wrong type at <paramref name="where"/> (param: its top-level field).</summary>
    public static OpenAiException Type(string where, string problem) =>
        OpenAiException.Schema($"{where}: {problem}.", TopLevel(where));

    /// <summary>"messages[0].content" → "messages".</summary>
    public static string TopLevel(string where)
    {
        var end = where.IndexOfAny(['[', '.']);
        return end < 0 ? where : where[..end];
    }
}
