using System.Text.Json;

namespace DisaggServing.Protocol.OpenAi;

/// <summary>One chat message. <see cref="Content"/> is a string or an array of parts (only <c>text</c> parts carry text here).</summary>
public sealed class ChatMessage
{
    /// <summary>system, user, assistant, tool or developer.</summary>
    public string? Role { get; set; }

    /// <summary>A string, an array of content parts, or null.</summary>
    public JsonElement? Content { get; set; }

    /// <summary>Optional participant name.</summary>
    public string? Name { get; set; }

    /// <summary>The text of the message: the string, or the text parts joined.</summary>
    public string Text()
    {
        if (Content is not { } content) return "";
        if (content.ValueKind == JsonValueKind.String) return content.GetString() ?? "";
        if (content.ValueKind != JsonValueKind.Array) return "";
        var parts = new List<string>();
        foreach (var part in content.EnumerateArray())
            if (part.ValueKind == JsonValueKind.Object && part.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String)
                parts.Add(text.GetString() ?? "");
        return string.Join("\n", parts);
    }
}
