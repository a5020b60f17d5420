namespace DisaggServing.Protocol.OpenAi;

/// <summary>Token counts of a request (OpenAI <c>usage</c>).</summary>
public sealed record Usage(int PromptTokens, int CompletionTokens)
{
    /// <summary>Prompt plus completion tokens.</summary>
    public int TotalTokens => PromptTokens + CompletionTokens;
}
