namespace DisaggServing.Protocol.OpenAi;

/// <summary>A choice of a completion (whole response or stream chunk).</summary>
public sealed record CompletionChoice(int Index, string Text, string? FinishReason)
{
    /// <summary>Always null: log probabilities are not produced.</summary>
    public object? Logprobs => null;
}
