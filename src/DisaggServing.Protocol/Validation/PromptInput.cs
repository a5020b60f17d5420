namespace DisaggServing.Protocol.Validation;

/// <summary>One completion prompt as the client gave it: text, or token ids (already checked against the vocabulary).</summary>
public sealed record PromptInput(string? Text, int[]? TokenIds)
{
    /// <summary>A text prompt.</summary>
    public static PromptInput FromText(string text) => new(text, null);

    /// <summary>A token-id prompt.</summary>
    public static PromptInput FromTokens(int[] ids) => new(null, ids);
}
