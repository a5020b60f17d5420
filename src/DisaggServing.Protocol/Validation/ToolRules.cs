using System.Text.Json;
using DisaggServing.Protocol.OpenAi;

namespace DisaggServing.Protocol.Validation;

/// <summary>tools and tool_choice as vLLM's <c>ChatCompletionToolsParam</c> and <c>check_tool_usage</c> take them.</summary>
internal static class ToolRules
{
    private const string Correct = "Correct usage: `{\"type\": \"function\", \"function\": {\"name\": \"my_function\"}}`";

    public static void Read(JsonElement root)
    {
        var names = ReadTools(root);
        if (JsonValues.Get(root, "tool_choice") is not { ValueKind: not JsonValueKind.Null } choice) return;
        if (choice.ValueKind == JsonValueKind.String && choice.GetString() == "none") return;
        if (names is null) throw OpenAiException.Schema("When using `tool_choice`, `tools` must be set.", "tool_choice");
        if (choice.ValueKind == JsonValueKind.String)
        {
            if (choice.GetString() is "auto" or "required") return;
            throw OpenAiException.Schema(
                $"Invalid value for `tool_choice`: {choice.GetString()}! Only named tools, \"none\", \"auto\" or \"required\" are supported.", "tool_choice");
        }
        if (choice.ValueKind != JsonValueKind.Object)
            throw OpenAiException.Schema(
                $"Invalid value for `tool_choice`: {choice.GetRawText()}! Only named tools, \"none\", \"auto\" or \"required\" are supported.", "tool_choice");
        if (JsonValues.Get(choice, "function") is not { ValueKind: JsonValueKind.Object } function)
            throw OpenAiException.Schema($"Invalid value for `function` in `tool_choice`! {Correct}", "tool_choice.function");
        if (JsonValues.Get(function, "name") is not { } name)
            throw OpenAiException.Schema($"Expected field `name` in `function` in `tool_choice`! {Correct}", "tool_choice.function.name");
        if (name.ValueKind != JsonValueKind.String || name.GetString()!.Length == 0)
            throw OpenAiException.Schema($"Invalid `name` in `function` in `tool_choice`! {Correct}", "tool_choice.function.name");
        if (!names.Contains(name.GetString()!))
            throw OpenAiException.Schema("The tool specified in `tool_choice` does not match any of the specified `tools`", "tool_choice");
        if (JsonValues.Get(choice, "type") is { } type && !(type.ValueKind == JsonValueKind.String && type.GetString() == "function"))
            throw JsonValues.Type("tool_choice.type", "Input should be 'function'");
        if (ResponseFormatRules.ReadStructuredOutputs(root) > 0)
            throw OpenAiException.Schema("You can only either use constraints for structured outputs or tools, not both.", "structured_outputs");
    }

    /// <summary>tool_choice as vLLM settles it: "auto" when tools are given without one.</summary>
    public static string? EffectiveChoice(JsonElement root)
    {
        var hasTools = JsonValues.Get(root, "tools") is { ValueKind: JsonValueKind.Array } tools && tools.GetArrayLength() > 0;
        return JsonValues.Get(root, "tool_choice") switch
        {
            null => hasTools ? "auto" : null,
            { ValueKind: JsonValueKind.String } s => s.GetString(),
            _ => null,
        };
    }

    private static HashSet<string>? ReadTools(JsonElement root)
    {
        if (JsonValues.Array(root, "tools") is not { } tools) return null;
        if (tools.GetArrayLength() == 0)
            throw OpenAiException.Schema("`tools` must not be an empty array. Either provide at least one tool or omit the field entirely.", "tools");
        var names = new HashSet<string>(StringComparer.Ordinal);
        var i = 0;
        foreach (var tool in tools.EnumerateArray())
        {
            var where = $"tools[{i++}]";
            if (tool.ValueKind != JsonValueKind.Object) throw JsonValues.Type(where, "Input should be a valid dictionary");
            if (JsonValues.Get(tool, "type") is { } type && !(type.ValueKind == JsonValueKind.String && type.GetString() == "function"))
                throw JsonValues.Type($"{where}.type", "Input should be 'function'");
            if (JsonValues.Get(tool, "function") is not { } function) throw JsonValues.Type($"{where}.function", "Field required");
            if (function.ValueKind != JsonValueKind.Object) throw JsonValues.Type($"{where}.function", "Input should be a valid dictionary");
            if (JsonValues.Get(function, "name") is not { } name) throw JsonValues.Type($"{where}.function.name", "Field required");
            names.Add(JsonValues.AsString(name, $"{where}.function.name", nullable: false)!);
            if (JsonValues.Get(function, "description") is { } description) JsonValues.AsString(description, $"{where}.function.description");
            if (JsonValues.Get(function, "parameters") is { ValueKind: not (JsonValueKind.Object or JsonValueKind.Null) })
                throw JsonValues.Type($"{where}.function.parameters", "Input should be a valid dictionary");
            if (JsonValues.Get(function, "strict") is { } strict) JsonValues.AsBool(strict, $"{where}.function.strict");
        }
        return names;
    }
}
