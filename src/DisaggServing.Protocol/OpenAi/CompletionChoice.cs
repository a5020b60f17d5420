namespace DisaggServing.Protocol.OpenAi;

/// <summary>A choice of a completion (whole response or stream chunk).</summary>
public sealed record CompletionChoice(int Index, string Text, string? FinishReason)
{
    /// <summary>vLLM: the stop string (string) or stop token id (number) that ended the output, when one did.</summary>
    public object? StopReason { get; init; }

    /// <summary>vLLM's <c>return_token_ids</c>: the generated token ids (in a stream chunk, those this chunk adds).</summary>
    public IReadOnlyList<int>? TokenIds { get; init; }

    /// <summary>Always null: log probabilities are not produced.</summary>
    public object? Logprobs => null;
}
