namespace DisaggServing.Protocol.Validation;

/// <summary>What the server behind a request allows, as far as the validating process knows it (0: unknown, not checked).</summary>
public sealed record ValidationLimits
{
    /// <summary>The context (vLLM's <c>--max-model-len</c>).</summary>
    public int MaxModelLen { get; init; }

    /// <summary>Token ids must be below this (the model's vocabulary size).</summary>
    public int VocabSize { get; init; }

    /// <summary>A server cap on max_tokens below the context (the router's <c>MaxTokens</c>).</summary>
    public int MaxTokensCap { get; init; }

    /// <summary>
    /// vLLM serves <c>tool_choice: "auto"</c> (the default when tools are given) only with
    /// <c>--enable-auto-tool-choice</c> and a tool parser; the engines here run without them.
    /// </summary>
    public bool AutoToolChoice { get; init; }

    /// <summary>Whether a model id is served; null accepts any.</summary>
    public Func<string, bool>? IsServed { get; init; }
}
