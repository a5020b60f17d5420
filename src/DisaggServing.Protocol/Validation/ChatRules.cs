using System.Text.Json;
using DisaggServing.Protocol.OpenAi;

namespace DisaggServing.Protocol.Validation;

/// <summary>
/// <c>/v1/chat/completions</c> only: messages and their content parts (<c>chat_utils.py</c>), logprobs/top_logprobs,
/// tools and tool_choice (<c>check_tool_usage</c>), the generation-prompt flags (<c>chat_completion/protocol.py</c>).
/// </summary>
internal static class ChatRules
{
    private const string Param = "messages";

    private static readonly HashSet<string> TextParts = ["text", "input_text"];

    private static readonly HashSet<string> MediaParts =
        ["image_url", "image_pil", "image_embeds", "input_image", "audio_url", "input_audio", "audio_embeds", "video_url", "file"];

    public static List<ChatMessage> ReadMessages(JsonElement root)
    {
        if (JsonValues.Get(root, Param) is not { ValueKind: not JsonValueKind.Null } messages)
            throw OpenAiException.Schema("messages: Field required.", Param);
        if (messages.ValueKind != JsonValueKind.Array) throw JsonValues.Type(Param, "Input should be a valid list");
        var count = messages.GetArrayLength();
        // The chat template reads messages[0] (Llama's, among others): an empty conversation fails to render.
        if (count == 0) throw OpenAiException.Invalid("messages must hold at least one message: the chat template cannot render an empty conversation.", Param);
        var list = new List<ChatMessage>(count);
        var index = 0;
        foreach (var message in messages.EnumerateArray())
        {
            var where = $"messages[{index++}]";
            if (message.ValueKind != JsonValueKind.Object) throw JsonValues.Type(where, "Input should be a valid dictionary");
            if (JsonValues.Get(message, "role") is not { } role) throw JsonValues.Type($"{where}.role", "Field required");
            var roleName = JsonValues.AsString(role, $"{where}.role", nullable: false)!;
            var name = JsonValues.String(message, "name", param: Param);
            JsonValues.String(message, "tool_call_id", param: Param);
            if (JsonValues.Get(message, "tool_calls") is { ValueKind: not (JsonValueKind.Array or JsonValueKind.Null) })
                throw JsonValues.Type($"{where}.tool_calls", "Input should be a valid list");
            JsonElement? content = null;
            if (JsonValues.Get(message, "content") is { ValueKind: not JsonValueKind.Null } c)
            {
                if (c.ValueKind == JsonValueKind.Array) CheckParts(c, $"{where}.content");
                else if (c.ValueKind != JsonValueKind.String) throw JsonValues.Type($"{where}.content", "Input should be a valid string or a list of content parts");
                content = c;
            }
            list.Add(new ChatMessage { Role = roleName, Content = content, Name = name });
        }
        return list;
    }

    private static void CheckParts(JsonElement parts, string where)
    {
        var i = 0;
        foreach (var part in parts.EnumerateArray())
        {
            var at = $"{where}[{i++}]";
            if (part.ValueKind != JsonValueKind.Object) throw JsonValues.Type(at, "Input should be a valid dictionary");
            if (JsonValues.Get(part, "type") is not { ValueKind: JsonValueKind.String } typeElement)
            {
                if (part.EnumerateObject().Any(p => MediaParts.Contains(p.Name))) throw TextOnly(at, "media");
                throw OpenAiException.Schema($"{at}: Missing 'type' field in multimodal part.", Param);
            }
            var type = typeElement.GetString()!;
            if (TextParts.Contains(type))
            {
                if (JsonValues.Get(part, "text") is null) throw JsonValues.Type($"{at}.text", "Field required");
                JsonValues.AsString(JsonValues.Get(part, "text")!.Value, $"{at}.text", nullable: false);
            }
            else if (type == "refusal")
            {
                JsonValues.String(part, "refusal", nullable: false, param: Param);
            }
            else if (MediaParts.Contains(type))
            {
                throw TextOnly(at, type);
            }
            else
            {
                throw OpenAiException.Invalid($"Unknown part type: {type}", Param);
            }
        }
    }

    private static OpenAiException TextOnly(string where, string type) =>
        OpenAiException.Invalid($"{where}: '{type}' content is not supported: this model takes text only (send 'text' parts).", Param);

    public static void Read(JsonElement root, ChatCompletionRequest request, ValidationLimits limits)
    {
        request.Messages ??= [];
        request.MaxCompletionTokens = SamplingFieldRules.Clamp(JsonValues.Int(root, "max_completion_tokens"));
        request.Logprobs = JsonValues.Bool(root, "logprobs");
        ReadTopLogprobs(root, request);
        JsonValues.Bool(root, "echo", nullable: false);
        JsonValues.Bool(root, "include_reasoning", nullable: false);
        JsonValues.Bool(root, "parallel_tool_calls");
        JsonValues.String(root, "chat_template");
        JsonValues.String(root, "reasoning_effort");
        JsonValues.Object(root, "chat_template_kwargs");
        JsonValues.Object(root, "mm_processor_kwargs");
        JsonValues.Array(root, "documents");
        var addGenerationPrompt = JsonValues.Bool(root, "add_generation_prompt", nullable: false) ?? true;
        if (JsonValues.Bool(root, "continue_final_message", nullable: false) == true && addGenerationPrompt)
            throw OpenAiException.Schema("Cannot set both `continue_final_message` and `add_generation_prompt` to True.", "continue_final_message");
        ToolRules.Read(root);
    }

    private static void ReadTopLogprobs(JsonElement root, ChatCompletionRequest request)
    {
        if (JsonValues.Get(root, "top_logprobs") is not { ValueKind: not JsonValueKind.Null } value) return;
        if (value.ValueKind != JsonValueKind.Number) throw OpenAiException.Schema("`top_logprobs` must be an integer.", "top_logprobs");
        var top = JsonValues.AsInt(value, "top_logprobs")!.Value;
        if (top < -1) throw OpenAiException.Schema("`top_logprobs` must be a positive value or -1.", "top_logprobs");
        if ((top == -1 || top > 0) && request.Logprobs != true)
            throw OpenAiException.Schema("when using `top_logprobs`, `logprobs` must be set to true.", "top_logprobs");
        request.TopLogprobs = SamplingFieldRules.Clamp(top);
    }

    /// <summary>The serving layer's chat checks: auto tool choice needs the server flags; the logprobs cap.</summary>
    public static void CheckServing(JsonElement root, ChatCompletionRequest request, ValidationLimits limits)
    {
        if (ToolRules.EffectiveChoice(root) == "auto" && !limits.AutoToolChoice)
            throw OpenAiException.Invalid("\"auto\" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set", "tool_choice");
        if (request.Logprobs == true) SamplingFieldRules.CheckMaxLogprobs(request.TopLogprobs, "top_logprobs");
    }
}
