using DisaggServing.Protocol.OpenAi;

namespace DisaggServing.Protocol.Validation;

/// <summary>A body that passed <see cref="OpenAiRequestValidator"/>: its typed fields, read with vLLM's coercions.</summary>
public sealed record ValidatedRequest(
    SamplingRequest Request,
    IReadOnlyList<PromptInput> Prompts,
    List<ChatMessage>? Messages)
{
    /// <summary>Whether this is a chat request.</summary>
    public bool IsChat => Request is ChatCompletionRequest;

    /// <summary>The requested model, or null.</summary>
    public string? Model => Request.Model;

    /// <summary>Whether the answer streams.</summary>
    public bool Stream => Request.Stream == true;

    /// <summary>The output budget the client asked for (chat: max_completion_tokens over max_tokens), or null.</summary>
    public int? MaxTokens => Request.RequestedMaxTokens;

    /// <summary>The field that budget came from, for error messages.</summary>
    public string MaxTokensParam => Request is ChatCompletionRequest { MaxCompletionTokens: not null } ? "max_completion_tokens" : "max_tokens";
}
