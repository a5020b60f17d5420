namespace DisaggServing.Scheduling;

/// <summary>
/// The decider's verdict: disaggregate or not, why, and the token counts behind it (<see cref="PromptTokens"/> is -1
/// when the verdict needed no count: threshold 0 on a text prompt).
/// </summary>
public readonly record struct PdDecision(bool Disaggregate, DecisionReason Reason, int PromptTokens, int CachedTokens)
{
    /// <summary>Prompt tokens the decode engine would have to compute itself.</summary>
    public int UncachedTokens => PromptTokens < 0 ? -1 : PromptTokens - CachedTokens;
}
