namespace DisaggServing.Protocol.OpenAi;

/// <summary>vLLM <c>POST /tokenize</c> body: a prompt or chat messages.</summary>
public sealed class TokenizeRequest
{
    /// <summary>Model id (optional).</summary>
    public string? Model { get; set; }

    /// <summary>A prompt to tokenize.</summary>
    public string? Prompt { get; set; }

    /// <summary>Chat messages to render with the chat template and tokenize.</summary>
    public List<ChatMessage>? Messages { get; set; }
}
