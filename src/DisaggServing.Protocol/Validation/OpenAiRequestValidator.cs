using System.Text.Json;
using DisaggServing.Protocol.OpenAi;
using DisaggServing.Protocol.Vllm;

namespace DisaggServing.Protocol.Validation;

/// <summary>
/// The checks vLLM's OpenAI server makes on <c>/v1/completions</c> and <c>/v1/chat/completions</c> bodies, shared by the
/// router and the Worker (target: vLLM v0.18). Two layers, as in vLLM: the request models (types, required fields,
/// rules between fields: <c>completion/protocol.py</c>, <c>chat_completion/protocol.py</c>), answered 400 <c>Bad
/// Request</c>; then the serving layer (the model, <c>SamplingParams._verify_args</c>, the vocabulary), answered 400
/// <c>BadRequestError</c> or 404. Unknown fields are accepted and ignored, as vLLM's <c>extra="allow"</c> models do.
/// The context check needs the prompt's token count and is left to the caller (<see cref="ContextRules"/>).
/// </summary>
public static class OpenAiRequestValidator
{
    /// <summary>The typed request, or an <see cref="OpenAiException"/> with vLLM's status.</summary>
    public static ValidatedRequest Validate(JsonElement root, bool chat, ValidationLimits limits)
    {
        if (root.ValueKind != JsonValueKind.Object)
            throw OpenAiException.Schema("Input should be a valid dictionary or object to extract fields from: the body must be a JSON object.");

        // Layer 1: the request model.
        SamplingRequest request = chat ? new ChatCompletionRequest() : new CompletionRequest();
        SamplingFieldRules.Read(root, request, chat);
        IReadOnlyList<PromptInput> prompts = [];
        List<ChatMessage>? messages = null;
        if (chat)
        {
            messages = ChatRules.ReadMessages(root);
            ChatRules.Read(root, (ChatCompletionRequest)request, limits);
        }
        else
        {
            prompts = CompletionRules.ReadPrompt(root);
            CompletionRules.Read(root, (CompletionRequest)request);
        }

        // Layer 2: serving.
        // vLLM's _check_model: an empty model name means "the served one", as an absent one does.
        if (request.Model is { Length: > 0 } model && limits.IsServed is { } served && !served(model))
            throw OpenAiException.ModelNotFound(model);
        if (chat) ChatRules.CheckServing(root, (ChatCompletionRequest)request, limits);
        SamplingFieldRules.Verify(root, request, chat, limits);
        if (limits.VocabSize > 0)
            foreach (var prompt in prompts)
                if (prompt.TokenIds is { } ids && ids.Length > 0 && ids.Max() is var max && max >= limits.VocabSize)
                    throw OpenAiException.Invalid($"Token id {max} is out of vocabulary", "prompt");
        return new ValidatedRequest(request, prompts, messages);
    }

    /// <summary>
    /// Parses a body as vLLM's server does (FastAPI over Python's <c>json</c>): duplicate keys keep the last, nesting
    /// deeper than Python's recursion limit is refused; anything unparsable is a 400 <c>Bad Request</c>.
    /// </summary>
    public static JsonDocument Parse(ReadOnlyMemory<byte> body)
    {
        if (body.IsEmpty)
            throw OpenAiException.Schema("Field required: the request body is empty; send a JSON object.", null);
        try
        {
            return JsonDocument.Parse(body, ParseOptions);
        }
        catch (JsonException e)
        {
            throw OpenAiException.Schema($"JSON decode error: {e.Message}");
        }
    }

    /// <summary>Deepest nesting accepted (Python's json gives up near its recursion limit of 1000).</summary>
    public const int MaxDepth = 900;

    private static readonly JsonDocumentOptions ParseOptions = new() { MaxDepth = MaxDepth };

    /// <summary>
    /// vLLM's <c>validate_json_request</c>: the media type must be exactly <c>application/json</c> (parameters such as a
    /// charset allowed), else 400 <c>Bad Request</c>.
    /// </summary>
    public static void CheckContentType(string? contentType)
    {
        var media = (contentType ?? "").Split(';', 2)[0].Trim();
        if (!media.Equals("application/json", StringComparison.OrdinalIgnoreCase))
            throw OpenAiException.Schema("Unsupported Media Type: Only 'application/json' is allowed. Send the body with 'Content-Type: application/json'.");
    }

    /// <summary>kv_transfer_params as the typed object (vLLM: a dict), or null.</summary>
    internal static KvTransferParams? ReadKvTransferParams(JsonElement root)
    {
        if (JsonValues.Object(root, PdRequestTransforms.KvTransferParamsField) is not { } kv) return null;
        try
        {
            return kv.Deserialize<KvTransferParams>(JsonDefaults.Options);
        }
        catch (JsonException e)
        {
            throw OpenAiException.Schema($"kv_transfer_params: {e.Message}", PdRequestTransforms.KvTransferParamsField);
        }
    }
}
