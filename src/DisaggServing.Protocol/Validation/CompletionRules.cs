using System.Text.Json;
using DisaggServing.Protocol.OpenAi;

namespace DisaggServing.Protocol.Validation;

/// <summary>
/// <c>/v1/completions</c> only (<c>completion/protocol.py</c>): the prompt (a string, a list of strings, a list of
/// token ids ≥ 0, or a list of such lists), echo, suffix and logprobs with <c>check_logprobs</c>'s rules.
/// </summary>
internal static class CompletionRules
{
    private const string Param = "prompt";

    public static void Read(JsonElement root, CompletionRequest request)
    {
        request.Prompt = JsonValues.Get(root, Param);
        request.Echo = JsonValues.Bool(root, "echo");
        // serving_completion.py refuses a suffix outright (after the model accepted its type).
        if (JsonValues.String(root, "suffix") is not null)
            throw OpenAiException.Invalid("suffix is not currently supported", "suffix");
        if (JsonValues.Get(root, "prompt_embeds") is { ValueKind: not (JsonValueKind.Null or JsonValueKind.String or JsonValueKind.Array) })
            throw JsonValues.Type("prompt_embeds", "Input should be valid bytes or a list of bytes");
        if (JsonValues.Get(root, "logprobs") is { ValueKind: not JsonValueKind.Null } logprobs)
        {
            if (logprobs.ValueKind != JsonValueKind.Number) throw OpenAiException.Schema("`logprobs` must be an integer.", "logprobs");
            var value = JsonValues.AsInt(logprobs, "logprobs")!.Value;
            if (value < -1) throw OpenAiException.Schema("`logprobs` must be a positive value or -1.", "logprobs");
            request.Logprobs = SamplingFieldRules.Clamp(value);
            SamplingFieldRules.CheckMaxLogprobs(value, "logprobs");
        }
    }

    /// <summary>The prompts, each non-empty; token ids are checked against the vocabulary later (serving layer).</summary>
    public static IReadOnlyList<PromptInput> ReadPrompt(JsonElement root)
    {
        var prompt = JsonValues.Get(root, Param);
        var embeds = JsonValues.Get(root, "prompt_embeds");
        var hasEmbeds = embeds is { ValueKind: JsonValueKind.String } || embeds is { ValueKind: JsonValueKind.Array } e && e.GetArrayLength() > 0;
        if (prompt is null or { ValueKind: JsonValueKind.Null } || prompt is { ValueKind: JsonValueKind.String } s && s.GetString()!.Length == 0)
        {
            if (hasEmbeds) throw OpenAiException.Invalid("prompt_embeds is not supported: this server was not started with --enable-prompt-embeds.", "prompt_embeds");
            throw OpenAiException.Schema("Either prompt or prompt_embeds must be provided and non-empty.", Param);
        }
        var p = prompt.Value;
        switch (p.ValueKind)
        {
            case JsonValueKind.String:
                return [PromptInput.FromText(p.GetString()!)];
            case JsonValueKind.Array:
                var length = p.GetArrayLength();
                if (length == 0) throw OpenAiException.Invalid("The prompt must not be empty: give text or at least one token id.", Param);
                var first = p[0].ValueKind;
                if (first is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False)
                    return [PromptInput.FromTokens(TokenIds(p, Param))];
                var prompts = new List<PromptInput>(length);
                var i = 0;
                foreach (var item in p.EnumerateArray())
                {
                    var where = $"prompt[{i++}]";
                    if (first == JsonValueKind.String && item.ValueKind == JsonValueKind.String)
                    {
                        if (item.GetString()!.Length == 0) throw OpenAiException.Invalid($"{where} is empty: each prompt must hold text.", Param);
                        prompts.Add(PromptInput.FromText(item.GetString()!));
                    }
                    else if (first == JsonValueKind.Array && item.ValueKind == JsonValueKind.Array)
                    {
                        if (item.GetArrayLength() == 0) throw OpenAiException.Invalid($"{where} is empty: each prompt must hold at least one token id.", Param);
                        prompts.Add(PromptInput.FromTokens(TokenIds(item, where)));
                    }
                    else
                    {
                        throw Shape(where);
                    }
                }
                return prompts;
            default:
                throw Shape(Param);
        }
    }

    private static int[] TokenIds(JsonElement array, string where)
    {
        var ids = new int[array.GetArrayLength()];
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            var at = $"{where}[{i}]";
            if (item.ValueKind is not (JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False)) throw Shape(at);
            var id = JsonValues.AsInt(item, at, nullable: false)!.Value;
            if (id < 0) throw OpenAiException.Schema($"{at}: Input should be greater than or equal to 0.", Param);
            ids[i++] = (int)Math.Min(id, int.MaxValue);
        }
        return ids;
    }

    private static OpenAiException Shape(string where) =>
        OpenAiException.Schema($"{where}: the prompt must be a string, a list of strings, a list of token ids (integers ≥ 0) or a list of such lists.", Param);
}
