using System.Text.Json;
using DisaggServing.Protocol.OpenAi;
using DisaggServing.Protocol.Tokenization;

namespace DisaggServing.Worker.Api;

/// <summary>Turns a completion prompt or chat messages into token ids, rejecting shapes this server does not take.</summary>
public static class PromptReader
{
    /// <summary>A string, an array of one string, an array of token ids, or an array of one array of token ids.</summary>
    public static IReadOnlyList<int> Completion(JsonElement? prompt)
    {
        if (prompt is not { } p || p.ValueKind == JsonValueKind.Null)
            throw ApiException.BadRequest("'prompt' is required.", "prompt");
        switch (p.ValueKind)
        {
            case JsonValueKind.String:
                return NotEmpty(PromptTokenizer.Instance.Encode(p.GetString()!));
            case JsonValueKind.Array:
                var items = p.EnumerateArray().ToList();
                if (items.Count == 0)
                    throw ApiException.BadRequest("'prompt' must not be empty.", "prompt");
                if (items.All(i => i.ValueKind == JsonValueKind.Number))
                    return TokenIds(items);
                if (items.Count > 1 && items.All(i => i.ValueKind is JsonValueKind.String or JsonValueKind.Array))
                    throw ApiException.BadRequest("Batched prompts are not supported: send one prompt per request.", "prompt");
                if (items[0].ValueKind == JsonValueKind.String)
                    return NotEmpty(PromptTokenizer.Instance.Encode(items[0].GetString()!));
                if (items[0].ValueKind == JsonValueKind.Array)
                {
                    var ids = items[0].EnumerateArray().ToList();
                    if (ids.Count > 0 && ids.All(i => i.ValueKind == JsonValueKind.Number))
                        return TokenIds(ids);
                }
                break;
        }
        throw ApiException.BadRequest("'prompt' must be a string, an array of one string, or an array of token ids.", "prompt");
    }

    /// <summary>Token ids of the conversation rendered with the shared chat template.</summary>
    public static IReadOnlyList<int> Chat(List<ChatMessage>? messages)
    {
        if (messages is null)
            throw ApiException.BadRequest("'messages' is required.", "messages");
        if (messages.Count == 0)
            throw ApiException.BadRequest("'messages' must hold at least one message.", "messages");
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i] ?? throw ApiException.BadRequest($"messages[{i}] must be an object.", $"messages[{i}]");
            if (string.IsNullOrWhiteSpace(message.Role))
                throw ApiException.BadRequest($"messages[{i}].role is required.", $"messages[{i}].role");
            CheckContent(message.Content, i);
        }
        return NotEmpty(PromptTokenizer.Instance.EncodeChat(messages));
    }

    private static void CheckContent(JsonElement? content, int index)
    {
        if (content is not { } c || c.ValueKind is JsonValueKind.Null or JsonValueKind.String)
            return;
        var param = $"messages[{index}].content";
        if (c.ValueKind != JsonValueKind.Array)
            throw ApiException.BadRequest($"{param} must be a string or an array of content parts.", param);
        foreach (var part in c.EnumerateArray())
        {
            if (part.ValueKind != JsonValueKind.Object || !part.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
                throw ApiException.BadRequest($"Each part of {param} must be an object with a 'type'.", param);
            if (type.GetString() != "text")
                throw ApiException.BadRequest($"Content part type '{type.GetString()}' is not supported; this model takes text parts only.", param);
            if (!part.TryGetProperty("text", out var text) || text.ValueKind != JsonValueKind.String)
                throw ApiException.BadRequest($"A text part of {param} needs a string 'text'.", param);
        }
    }

    private static int[] TokenIds(List<JsonElement> items)
    {
        var ids = new int[items.Count];
        for (var i = 0; i < ids.Length; i++)
            if (!items[i].TryGetInt32(out ids[i]) || ids[i] < 0)
                throw ApiException.BadRequest($"prompt[{i}] is not a token id (a non-negative integer).", "prompt");
        return ids;
    }

    private static IReadOnlyList<int> NotEmpty(IReadOnlyList<int> tokens) =>
        tokens.Count > 0 ? tokens : throw ApiException.BadRequest("The prompt is empty.", "prompt");
}
