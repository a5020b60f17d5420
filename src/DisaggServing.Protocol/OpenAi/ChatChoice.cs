namespace DisaggServing.Protocol.OpenAi;

/// <summary>A choice of a chat completion (<see cref="Message"/>) or of a chat chunk (<see cref="Delta"/>).</summary>
public sealed record ChatChoice(int Index, string? FinishReason)
{
    /// <summary>vLLM: the stop string (string) or stop token id (number) that ended the output, when one did.</summary>
    public object? StopReason { get; init; }

    /// <summary>The whole message (non-streaming).</summary>
    public ChatChoiceMessage? Message { get; init; }

    /// <summary>What this chunk adds (streaming).</summary>
    public ChatChoiceMessage? Delta { get; init; }

    /// <summary>vLLM's <c>return_token_ids</c>: the generated token ids (in a stream chunk, those this chunk adds).</summary>
    public IReadOnlyList<int>? TokenIds { get; init; }

    /// <summary>Always null: log probabilities are not produced.</summary>
    public object? Logprobs => null;
}
