namespace DisaggServing.Protocol.OpenAi;

/// <summary><c>POST /v1/chat/completions</c> body.</summary>
public sealed class ChatCompletionRequest : SamplingRequest
{
    /// <summary>The conversation.</summary>
    public List<ChatMessage>? Messages { get; set; }

    /// <summary>OpenAI's newer name for the output budget.</summary>
    public int? MaxCompletionTokens { get; set; }

    /// <inheritdoc />
    public override int? RequestedMaxTokens => MaxCompletionTokens ?? MaxTokens;
}
