using System.Text.Json;
using DisaggServing.Protocol.OpenAi;
using DisaggServing.Protocol.Tokenization;
using DisaggServing.Protocol.Vllm;
using DisaggServing.Router.Configuration;
using DisaggServing.Router.Models;
using DisaggServing.Router.Scheduling;

namespace DisaggServing.Router.Requests;

/// <summary>
/// Checks a completion or chat body before anything is forwarded: shape and types, the model, max_tokens against the cap,
/// and prompt + max_tokens against the context (prompt counted with the shared tokenizer and chat template). Every
/// failure is a <see cref="RouterException"/> with vLLM's/OpenAI's status and message.
/// </summary>
public sealed class RequestValidator(ModelCatalog models, RouterOptions options)
{
    /// <summary>The parsed request, or a <see cref="RouterException"/>.</summary>
    public ParsedRequest Validate(JsonElement root, RequestKind kind)
    {
        if (root.ValueKind != JsonValueKind.Object)
            throw RouterException.BadRequest($"The request body must be a JSON object, not {Describe(root.ValueKind)}.");

        var model = ReadModel(root);
        var stream = Optional(root, "stream", JsonValueKind.True) is { } s && s.ValueKind == JsonValueKind.True;
        Optional(root, "stream_options", JsonValueKind.Object);
        foreach (var name in (ReadOnlySpan<string>)["temperature", "top_p", "min_p", "frequency_penalty", "presence_penalty", "repetition_penalty"])
            Optional(root, name, JsonValueKind.Number);
        foreach (var name in (ReadOnlySpan<string>)["echo", "ignore_eos", "include_stop_str_in_output"])
            Optional(root, name, JsonValueKind.True);
        Optional(root, "user", JsonValueKind.String);
        Integer(root, "seed", long.MinValue);
        Integer(root, "n", 1);
        Integer(root, "min_tokens", 0);
        Integer(root, "top_k", long.MinValue);
        ReadStop(root);
        ReadStopTokenIds(root);

        var maxTokens = kind == RequestKind.Chat
            ? ReadMaxTokens(root, "max_completion_tokens") ?? ReadMaxTokens(root, "max_tokens")
            : ReadMaxTokens(root, "max_tokens");
        if (kind == RequestKind.Chat) ReadMaxTokens(root, "max_tokens");
        var prompts = kind == RequestKind.Chat ? ReadMessages(root) : ReadPrompt(root);
        // Prefix hashes must come from the ids the engine caches: the served model's own tokenizer when one is registered.
        var tokenizer = PromptTokenizers.For(model ?? options.Model);
        foreach (var prompt in prompts) prompt.Tokenizer = tokenizer;
        CheckContext(prompts, maxTokens, kind == RequestKind.Chat ? "messages" : "prompt");
        var hasKv = root.TryGetProperty(PdRequestTransforms.KvTransferParamsField, out _);
        return new ParsedRequest(kind, model, stream, maxTokens, prompts, hasKv);
    }

    private string? ReadModel(JsonElement root)
    {
        if (!root.TryGetProperty("model", out var element) || element.ValueKind == JsonValueKind.Null) return null;
        if (element.ValueKind != JsonValueKind.String) throw WrongType("model", "a string", element);
        var model = element.GetString()!;
        if (!models.IsServed(model))
            throw new RouterException(404, ErrorResponse.NotFound($"The model `{model}` does not exist.", "model"));
        return model;
    }

    private int? ReadMaxTokens(JsonElement root, string name)
    {
        var value = Integer(root, name, int.MinValue);
        if (value is null) return null;
        if (value < 1)
            throw RouterException.BadRequest($"{name} must be at least 1, got {value}.", name);
        if ((options.MaxTokens > 0 && value > options.MaxTokens) || value > int.MaxValue)
            throw RouterException.BadRequest($"{name} is {value}, more than this server's limit of {(options.MaxTokens > 0 ? options.MaxTokens : int.MaxValue)}.", name);
        return (int)value;
    }

    private void CheckContext(IReadOnlyList<Prompt> prompts, int? maxTokens, string param)
    {
        var limit = models.ContextLimit;
        if (limit <= 0) return;
        foreach (var prompt in prompts)
        {
            // Most prompts cannot reach the limit even at one token per byte: no need to tokenize them here.
            var bound = prompt.MaxTokenCount;
            if (bound < limit && (long)bound + (maxTokens ?? 0) <= limit) continue;
            var count = prompt.TokenCount;
            var total = (long)count + (maxTokens ?? 0);
            if (count >= limit || total > limit)
                throw RouterException.BadRequest(
                    $"This model's maximum context length is {limit} tokens. However, you requested {total} tokens " +
                    $"({count} in the {(param == "messages" ? "messages" : "prompt")}, {maxTokens ?? 0} in the completion). " +
                    "Please reduce the length of the input or of max_tokens.",
                    param, "context_length_exceeded");
        }
    }

    private static IReadOnlyList<Prompt> ReadMessages(JsonElement root)
    {
        if (!root.TryGetProperty("messages", out var messages) || messages.ValueKind == JsonValueKind.Null)
            throw RouterException.BadRequest("Missing required parameter: 'messages'.", "messages", "missing_required_parameter");
        if (messages.ValueKind != JsonValueKind.Array) throw WrongType("messages", "an array", messages);
        var count = messages.GetArrayLength();
        if (count == 0) throw RouterException.BadRequest("'messages' must contain at least one message.", "messages");
        var list = new List<ChatMessage>(count);
        var index = 0;
        foreach (var message in messages.EnumerateArray())
        {
            var where = $"messages[{index++}]";
            if (message.ValueKind != JsonValueKind.Object) throw WrongType(where, "an object", message);
            if (!message.TryGetProperty("role", out var role) || role.ValueKind != JsonValueKind.String)
                throw RouterException.BadRequest($"Missing or invalid '{where}.role': give a string such as \"user\".", "messages");
            JsonElement? content = null;
            if (message.TryGetProperty("content", out var c) && c.ValueKind != JsonValueKind.Null)
            {
                if (c.ValueKind == JsonValueKind.Array)
                {
                    foreach (var part in c.EnumerateArray())
                        if (part.ValueKind != JsonValueKind.Object) throw WrongType($"{where}.content[]", "an object", part);
                }
                else if (c.ValueKind != JsonValueKind.String)
                {
                    throw WrongType($"{where}.content", "a string or an array of content parts", c);
                }
                content = c;
            }
            list.Add(new ChatMessage { Role = role.GetString(), Content = content });
        }
        return [Prompt.FromText(ChatTemplate.Render(list))];
    }

    private static IReadOnlyList<Prompt> ReadPrompt(JsonElement root)
    {
        if (!root.TryGetProperty("prompt", out var prompt) || prompt.ValueKind == JsonValueKind.Null)
            throw RouterException.BadRequest("Missing required parameter: 'prompt'.", "prompt", "missing_required_parameter");
        switch (prompt.ValueKind)
        {
            case JsonValueKind.String:
                var text = prompt.GetString()!;
                if (text.Length == 0) throw RouterException.BadRequest("'prompt' must not be empty.", "prompt");
                return [Prompt.FromText(text)];
            case JsonValueKind.Array:
                var length = prompt.GetArrayLength();
                if (length == 0) throw RouterException.BadRequest("'prompt' must not be empty.", "prompt");
                var first = prompt[0].ValueKind;
                if (first == JsonValueKind.Number) return [Prompt.FromTokens(ReadTokenIds(prompt, "prompt"))];
                var prompts = new List<Prompt>(length);
                var i = 0;
                foreach (var item in prompt.EnumerateArray())
                {
                    var where = $"prompt[{i++}]";
                    if (first == JsonValueKind.String && item.ValueKind == JsonValueKind.String && item.GetString() is { Length: > 0 } s)
                        prompts.Add(Prompt.FromText(s));
                    else if (first == JsonValueKind.Array && item.ValueKind == JsonValueKind.Array && item.GetArrayLength() > 0)
                        prompts.Add(Prompt.FromTokens(ReadTokenIds(item, where)));
                    else
                        throw RouterException.BadRequest(
                            $"'{where}' is invalid: 'prompt' must be a non-empty string, an array of non-empty strings, an array of token ids or an array of such arrays.", "prompt");
                }
                return prompts;
            default:
                throw WrongType("prompt", "a string, an array of strings or an array of token ids", prompt);
        }
    }

    private static int[] ReadTokenIds(JsonElement array, string where)
    {
        var ids = new int[array.GetArrayLength()];
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt32(out var id) || id < 0)
                throw RouterException.BadRequest($"'{where}' must hold token ids (integers ≥ 0).", "prompt");
            ids[i++] = id;
        }
        return ids;
    }

    private static void ReadStop(JsonElement root)
    {
        if (!root.TryGetProperty("stop", out var stop) || stop.ValueKind is JsonValueKind.Null or JsonValueKind.String) return;
        if (stop.ValueKind != JsonValueKind.Array) throw WrongType("stop", "a string or an array of strings", stop);
        foreach (var item in stop.EnumerateArray())
            if (item.ValueKind != JsonValueKind.String) throw WrongType("stop", "a string or an array of strings", item);
    }

    private static void ReadStopTokenIds(JsonElement root)
    {
        if (!root.TryGetProperty("stop_token_ids", out var ids) || ids.ValueKind == JsonValueKind.Null) return;
        if (ids.ValueKind != JsonValueKind.Array) throw WrongType("stop_token_ids", "an array of integers", ids);
        foreach (var id in ids.EnumerateArray())
            if (id.ValueKind != JsonValueKind.Number || !id.TryGetInt32(out _)) throw WrongType("stop_token_ids", "an array of integers", id);
    }

    private static JsonElement? Optional(JsonElement root, string name, JsonValueKind kind)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        var ok = kind == JsonValueKind.True ? value.ValueKind is JsonValueKind.True or JsonValueKind.False : value.ValueKind == kind;
        if (!ok) throw WrongType(name, kind switch
        {
            JsonValueKind.True => "a boolean",
            JsonValueKind.Number => "a number",
            JsonValueKind.String => "a string",
            _ => "an object",
        }, value);
        return value;
    }

    private static long? Integer(JsonElement root, string name, long min)
    {
        if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null) return null;
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var number)) throw WrongType(name, "an integer", value);
        if (number < min) throw RouterException.BadRequest($"{name} must be at least {min}, got {number}.", name);
        return number;
    }

    private static RouterException WrongType(string name, string expected, JsonElement actual) =>
        RouterException.BadRequest($"'{name}' must be {expected}, not {Describe(actual.ValueKind)}.", name.Split('[', '.')[0]);

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };
}
