namespace DisaggServing.Protocol.OpenAi;

/// <summary><c>POST /v1/chat/completions</c> body.</summary>
public sealed class ChatCompletionRequest : SamplingRequest
{
    /// <summary>The conversation.</summary>
    public List<ChatMessage>? Messages { get; set; }

    /// <summary>Return log probabilities (unsupported; rejected when true).</summary>
    public bool? Logprobs { get; set; }

    /// <summary>Log probabilities of this many top tokens (unsupported; rejected when above 0).</summary>
    public int? TopLogprobs { get; set; }

    /// <summary>OpenAI's newer name for the output budget.</summary>
    public int? MaxCompletionTokens { get; set; }

    /// <inheritdoc />
    public override int? RequestedMaxTokens => MaxCompletionTokens ?? MaxTokens;
}
