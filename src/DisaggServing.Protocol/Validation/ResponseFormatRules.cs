using System.Text.Json;
using DisaggServing.Protocol.OpenAi;

namespace DisaggServing.Protocol.Validation;

/// <summary>
/// <c>response_format</c> and <c>structured_outputs</c> as vLLM's models take them (<c>ResponseFormat</c>,
/// <c>JsonSchemaResponseFormat</c>, the structural-tag formats, <c>check_structured_outputs_count</c>).
/// </summary>
internal static class ResponseFormatRules
{
    private const string Param = "response_format";

    /// <summary>The response_format type ("text", "json_object", "json_schema", "structural_tag"), or null.</summary>
    public static string? Read(JsonElement root)
    {
        if (JsonValues.Object(root, Param) is not { } format) return null;
        var type = JsonValues.Get(format, "type") is { ValueKind: JsonValueKind.String } t ? t.GetString() : null;
        switch (type)
        {
            case "text" or "json_object":
                return type;
            case "json_schema":
                if (JsonValues.Get(format, "json_schema") is not { ValueKind: not JsonValueKind.Null } schema)
                    throw OpenAiException.Schema("When response_format type is 'json_schema', the 'json_schema' field must be provided.", Param);
                if (schema.ValueKind != JsonValueKind.Object) throw JsonValues.Type("response_format.json_schema", "Input should be a valid dictionary");
                JsonValues.String(schema, "name", nullable: false, param: Param);
                if (JsonValues.Get(schema, "name") is null) throw JsonValues.Type("response_format.json_schema.name", "Field required");
                JsonValues.String(schema, "description", param: Param);
                if (JsonValues.Get(schema, "schema") is { ValueKind: not (JsonValueKind.Object or JsonValueKind.Null) })
                    throw JsonValues.Type("response_format.json_schema.schema", "Input should be a valid dictionary");
                if (JsonValues.Get(schema, "strict") is { } strict) JsonValues.AsBool(strict, "response_format.json_schema.strict");
                return type;
            case "structural_tag":
                var legacy = JsonValues.Get(format, "structures") is not null || JsonValues.Get(format, "triggers") is not null;
                if (legacy ? JsonValues.Get(format, "structures") is not { ValueKind: JsonValueKind.Array } || JsonValues.Get(format, "triggers") is not { ValueKind: JsonValueKind.Array }
                           : JsonValues.Get(format, "format") is null)
                    throw OpenAiException.Schema("Invalid response_format structural_tag specification.", Param);
                return type;
            default:
                throw JsonValues.Type("response_format.type", "Input should be 'text', 'json_object', 'json_schema' or 'structural_tag'");
        }
    }

    /// <summary>structured_outputs: a dict with at most one of json, regex, choice; returns how many it sets.</summary>
    public static int ReadStructuredOutputs(JsonElement root)
    {
        if (JsonValues.Object(root, "structured_outputs") is not { } outputs) return 0;
        var count = 0;
        foreach (var name in (ReadOnlySpan<string>)["json", "regex", "choice"])
            if (JsonValues.Get(outputs, name) is { ValueKind: not JsonValueKind.Null }) count++;
        if (count > 1)
            throw OpenAiException.Schema("You can only use one kind of constraints for structured outputs ('json', 'regex' or 'choice').", "structured_outputs");
        if (JsonValues.Get(outputs, "regex") is { ValueKind: not (JsonValueKind.String or JsonValueKind.Null) })
            throw JsonValues.Type("structured_outputs.regex", "Input should be a valid string");
        if (JsonValues.Get(outputs, "choice") is { ValueKind: not (JsonValueKind.Array or JsonValueKind.Null) })
            throw JsonValues.Type("structured_outputs.choice", "Input should be a valid list");
        return count;
    }
}
