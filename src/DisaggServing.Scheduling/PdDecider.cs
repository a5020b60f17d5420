
namespace DisaggServing.Scheduling;

/// <summary>
/// Disaggregate only when the decode engine would otherwise compute at least <see cref="MinUncachedTokens"/> prompt tokens:
/// uncached = prompt tokens − the best cached prefix on the chosen decode engine (llm-d's pd-profile-handler threshold).
/// </summary>
public sealed class PdDecider(int minUncachedTokens)
{
    /// <summary>The threshold; 0 disaggregates every request.</summary>
    public int MinUncachedTokens { get; } = Math.Max(0, minUncachedTokens);

    /// <summary>Whether the KV index could change the verdict for a prompt of <paramref name="promptTokens"/> tokens.</summary>
    public bool NeedsPrefixMatches(int promptTokens) => MinUncachedTokens > 0 && promptTokens >= MinUncachedTokens;

    /// <summary>The verdict for <paramref name="context"/> decoded on <paramref name="decode"/>.</summary>
    public PdDecision Decide(SchedulingContext context, ISchedulingCandidate decode)
    {
        // Threshold 0: every request disaggregates, so the prompt need not be tokenized for the verdict.
        if (MinUncachedTokens == 0) return new PdDecision(true, DecisionReason.Uncached, context.KnownPromptTokens ?? -1, 0);
        var prompt = context.PromptTokens;
        if (prompt < MinUncachedTokens) return new PdDecision(false, DecisionReason.ShortPrompt, prompt, 0);
        var cached = context.CachedTokens(decode);
        return prompt - cached < MinUncachedTokens
            ? new PdDecision(false, DecisionReason.CachedPrefix, prompt, cached)
            : new PdDecision(true, DecisionReason.Uncached, prompt, cached);
    }
}
