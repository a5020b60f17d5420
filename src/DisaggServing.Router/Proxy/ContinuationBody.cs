using System.Text.Json;
using DisaggServing.Router.Requests;

namespace DisaggServing.Router.Proxy;

/// <summary>
/// The <c>/v1/completions</c> body that continues a broken stream on another engine: the original prompt's token ids
/// followed by the tokens already generated (ids, so nothing is tokenized again, differently), the client's sampling
/// fields, and what is left of <c>max_tokens</c> and <c>min_tokens</c>. Chat requests continue this way too, their
/// conversation rendered to token ids by the new engine's <c>/tokenize</c>: real vLLM renders the chat template there
/// (<c>add_generation_prompt</c>), and continues the token ids on <c>/v1/completions</c> exactly, under greedy
/// sampling (a seeded draw restarts with the new request). Chat-only features (tools, response_format) do not carry over.
/// </summary>
public static class ContinuationBody
{
    /// <summary>vLLM's default max_tokens on /v1/completions.</summary>
    public const int DefaultCompletionTokens = 16;

    // Sampling and output fields shared by both endpoints; everything else of the client's body stays behind.
    private static readonly string[] Carried =
    [
        "model", "temperature", "top_p", "top_k", "min_p", "seed", "presence_penalty", "frequency_penalty",
        "repetition_penalty", "stop", "stop_token_ids", "include_stop_str_in_output", "ignore_eos", "skip_special_tokens",
        "spaces_between_special_tokens", "logit_bias", "bad_words", "allowed_token_ids", "user", "stream_options", "priority",
    ];

    /// <summary>Fields of a chat body that change how <c>/tokenize</c> renders the conversation.</summary>
    public static readonly string[] TemplateFields =
        ["model", "messages", "chat_template", "chat_template_kwargs", "add_generation_prompt", "continue_final_message", "tools", "documents", "add_special_tokens"];

    /// <summary>Tokens left of the client's budget after <paramref name="generated"/>; null when unbounded (chat without max_tokens).</summary>
    public static int? Remaining(ParsedRequest request, int generated) =>
        request.MaxTokens is { } max ? max - generated
        : request.Kind == RequestKind.Completion ? DefaultCompletionTokens - generated
        : null;

    /// <summary>Writes the continuation of <paramref name="client"/>.</summary>
    public static void Write(JsonElement client, IReadOnlyList<int> prompt, IReadOnlyList<int> generated, int? remaining, Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        int? minTokens = null;
        foreach (var property in client.EnumerateObject())
        {
            if (property.NameEquals("min_tokens") && property.Value.TryGetInt32(out var min)) minTokens = min;
            else if (Array.IndexOf(Carried, property.Name) >= 0) property.WriteTo(writer);
        }
        writer.WriteStartArray("prompt");
        foreach (var token in prompt) writer.WriteNumberValue(token);
        foreach (var token in generated) writer.WriteNumberValue(token);
        writer.WriteEndArray();
        // vLLM: an explicit null max_tokens means "up to the context", as a chat request without one.
        if (remaining is { } left) writer.WriteNumber("max_tokens", left);
        else writer.WriteNull("max_tokens");
        if (minTokens is { } m && m - generated.Count > 0) writer.WriteNumber("min_tokens", m - generated.Count);
        writer.WriteBoolean("stream", true);
        writer.WriteBoolean(DecodeBody.ReturnTokenIds, true);
        writer.WriteEndObject();
    }

    /// <summary>Writes the <c>/tokenize</c> body that renders <paramref name="client"/>'s prompt (chat: its conversation) as the engine would.</summary>
    public static void WriteTokenize(JsonElement client, RequestKind kind, Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        foreach (var property in client.EnumerateObject())
        {
            if (kind == RequestKind.Chat ? Array.IndexOf(TemplateFields, property.Name) >= 0 : property.NameEquals("model") || property.NameEquals("prompt"))
                property.WriteTo(writer);
        }
        writer.WriteEndObject();
    }
}
