using DisaggServing.Engine.Catalog;

namespace DisaggServing.Engine.Performance;

/// <summary>Where a speculative step's draft tokens come from.</summary>
public enum SpeculativeMethod
{
    /// <summary>
    /// The checkpoint's own multi-token-prediction layers (DeepSeek-V3/R1, GLM-4.5 and later, Qwen3.5, Qwen3-Next,
    /// MiniMax-M2): vLLM's <c>{"method": "mtp"}</c>, SGLang's <c>--speculative-algorithm EAGLE</c> (NEXTN) on them,
    /// TensorRT-LLM's <c>MTP</c>. Each draft token is one pass of an MTP layer (one layer of the target's shape) and
    /// the shared LM head.
    /// </summary>
    Mtp,

    /// <summary>An EAGLE draft head (one decoder layer of the target's width) over the target's full vocabulary.</summary>
    Eagle,

    /// <summary>An EAGLE-3 draft head: one decoder layer and an LM head over its own smaller vocabulary (<see cref="SpeculativeDecoding.Eagle3DraftVocab"/>).</summary>
    Eagle3,

    /// <summary>Prompt-lookup n-gram drafts (vLLM's <c>{"method": "ngram"}</c>): proposed on the host, no GPU pass.</summary>
    Ngram,
}

/// <summary>
/// Speculative decoding as vLLM, SGLang and TensorRT-LLM run it with one draft chain (top-k 1): every step each decoding
/// sequence verifies <paramref name="DraftTokens"/> proposed tokens in one target pass (1 + K query tokens, with their KV
/// slots), keeps the accepted ones and the target's own next token, and the drafter proposes the next K. The tokens a
/// sequence gains a step average <paramref name="AcceptanceLength"/>, between 1 (nothing accepted) and K + 1: what
/// vLLM's spec-decode metrics call the mean acceptance length and SGLang's bench_serving prints as "Accept length". It
/// depends on the model, the drafter and the text, so it is given, not modelled; the scheduler spreads it evenly
/// (each sequence gains ⌊credit + L⌋ tokens a step, carrying the fraction), so its mean is exact, not its variance.
/// </summary>
/// <param name="Method">Where the drafts come from.</param>
/// <param name="DraftTokens">Draft tokens proposed and verified per sequence and step (vLLM's <c>num_speculative_tokens</c>, SGLang's <c>--speculative-num-steps</c>).</param>
/// <param name="AcceptanceLength">Tokens a sequence gains per verifying step, on average (1 to <paramref name="DraftTokens"/> + 1).</param>
public sealed record SpeculativeDecoding(SpeculativeMethod Method, int DraftTokens, double AcceptanceLength)
{
    /// <summary>The EAGLE-3 heads' own vocabulary (<c>draft_vocab_size</c> of the published Llama and Qwen heads).</summary>
    public const int Eagle3DraftVocab = 32000;

    /// <summary>How <c>--speculative-method</c> names <paramref name="method"/>.</summary>
    public static string Name(SpeculativeMethod method) => method switch
    {
        SpeculativeMethod.Mtp => "mtp",
        SpeculativeMethod.Eagle => "eagle",
        SpeculativeMethod.Eagle3 => "eagle3",
        _ => "ngram",
    };

    /// <summary>The method <paramref name="text"/> names (SGLang's <c>NEXTN</c> is MTP; case and dashes ignored).</summary>
    public static SpeculativeMethod Parse(string text) => text.Trim().ToLowerInvariant().Replace("-", "").Replace("_", "") switch
    {
        "mtp" or "nextn" or "deepseekmtp" => SpeculativeMethod.Mtp,
        "eagle" => SpeculativeMethod.Eagle,
        "eagle3" => SpeculativeMethod.Eagle3,
        "ngram" or "promptlookup" => SpeculativeMethod.Ngram,
        _ => throw new InputException($"--speculative-method '{text}' is not known; use mtp, eagle, eagle3 or ngram."),
    };

    /// <summary>As the CLI's summaries show it: <c>mtp, 3 draft tokens, acceptance length 2.5</c>.</summary>
    public override string ToString() =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Name(Method)}, {DraftTokens} draft tokens, acceptance length {AcceptanceLength}");

    /// <summary>The vocabulary the drafter's LM head spans for <paramref name="model"/> (none for n-gram drafts).</summary>
    public int DraftVocab(ModelSpec model) => Method switch
    {
        SpeculativeMethod.Ngram => 0,
        SpeculativeMethod.Eagle3 => Math.Min(Eagle3DraftVocab, model.Vocab),
        _ => model.Vocab,
    };

    /// <summary>
    /// Throws an <see cref="InputException"/> naming the field when this cannot run on <paramref name="model"/>: the CLI's
    /// flags, or the names a topology gives them (<paramref name="fields"/>: method, draft tokens, acceptance length).
    /// </summary>
    public void Validate(ModelSpec model, (string Method, string Tokens, string Acceptance)? fields = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var (method, tokens, acceptance) = fields ?? ("--speculative-method", "--num-speculative-tokens", "--acceptance-length");
        if (DraftTokens < 1)
            throw new InputException($"{tokens} must be at least 1 (got {DraftTokens}).");
        if (double.IsNaN(AcceptanceLength) || AcceptanceLength < 1 || AcceptanceLength > DraftTokens + 1)
            throw new InputException(
                $"{acceptance} must be between 1 and {tokens} + 1 = {DraftTokens + 1} (got {AcceptanceLength}): the tokens a " +
                "sequence gains per verifying step, which vLLM's spec-decode metrics report as the mean acceptance length and SGLang's bench_serving as 'Accept length'.");
        if (Method == SpeculativeMethod.Mtp && model.MtpLayers == 0)
            throw new InputException(
                $"{method} mtp needs a checkpoint with multi-token-prediction layers; {model.Id} has none. Use eagle, eagle3 or ngram with a draft head for it.");
    }
}
