using DisaggServing.Protocol.Tokenization;

namespace DisaggServing.Scheduling;

/// <summary>
/// A request's prompt: text (tokenized on first use, with the served model's tokenizer from <see cref="PromptTokenizers"/>,
/// the cl100k fallback when none is registered) or token ids.
/// </summary>
public sealed class Prompt
{
    private readonly string? _text;
    private IReadOnlyList<int>? _tokens;

    private Prompt(string? text, IReadOnlyList<int>? tokens)
    {
        _text = text;
        _tokens = tokens;
    }

    /// <summary>A text prompt (a completion prompt, or a conversation rendered with the chat template).</summary>
    public static Prompt FromText(string text) => new(text, null);

    /// <summary>A prompt given as token ids.</summary>
    public static Prompt FromTokens(IReadOnlyList<int> tokens) => new(null, tokens);

    /// <summary>The prompt text, when given as text.</summary>
    public string? Text => _text;

    /// <summary>The tokenizer text is encoded with (set by the request validator from the model; the cl100k fallback by default).</summary>
    public PromptTokenizer Tokenizer { get; set; } = PromptTokenizer.Cl100kFallback;

    /// <summary>The token ids (tokenized once, on first use).</summary>
    public IReadOnlyList<int> Tokens => _tokens ??= Tokenizer.Encode(_text ?? "");

    /// <summary>Number of prompt tokens.</summary>
    public int TokenCount => Tokens.Count;

    /// <summary>The token count if the prompt is already tokenized (or was given as ids); null otherwise.</summary>
    public int? KnownTokenCount => _tokens?.Count;

    /// <summary>
    /// An upper bound on <see cref="TokenCount"/> without tokenizing: a byte-level BPE token covers at least one UTF-8
    /// byte, so checks that the bound already passes need not pay for the tokenizer.
    /// </summary>
    public int MaxTokenCount => _tokens?.Count ?? System.Text.Encoding.UTF8.GetByteCount(_text ?? "");
}
