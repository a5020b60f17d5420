namespace DisaggServing.Scheduling;

/// <summary>Why the profile handler chose a route; <see cref="DecisionReasonLabels.Label"/> is the decisions counter's <c>reason</c> label.</summary>
public enum DecisionReason
{
    /// <summary>Not decided yet.</summary>
    None,

    /// <summary>The uncached part of the prompt is long enough for P/D.</summary>
    Uncached,

    /// <summary>The prompt is shorter than the decider's threshold.</summary>
    ShortPrompt,

    /// <summary>The decode engine holds enough of the prompt that the rest is under the threshold.</summary>
    CachedPrefix,

    /// <summary>No prefill engine is configured or discovered.</summary>
    NoPrefill,

    /// <summary>Prefill engines exist but the prefill profile kept none (all unhealthy or failing).</summary>
    NoHealthyPrefill,

    /// <summary>Prefill failed (and its retry): the request fell back to decode-only.</summary>
    PrefillFailed,

    /// <summary>No decode engine is configured or discovered (the request gets 503).</summary>
    NoDecode,

    /// <summary>Decode engines exist but the decode profile kept none (the request gets 503).</summary>
    NoHealthyDecode,
}

/// <summary>The metric and trace label of each <see cref="DecisionReason"/>.</summary>
public static class DecisionReasonLabels
{
    /// <summary>The label of <paramref name="reason"/>.</summary>
    public static string Label(this DecisionReason reason) => reason switch
    {
        DecisionReason.None => "none",
        DecisionReason.Uncached => "uncached",
        DecisionReason.ShortPrompt => "short-prompt",
        DecisionReason.CachedPrefix => "cached-prefix",
        DecisionReason.NoPrefill => "no-prefill",
        DecisionReason.NoHealthyPrefill => "no-healthy-prefill",
        DecisionReason.PrefillFailed => "prefill-failed",
        DecisionReason.NoDecode => "no-decode",
        DecisionReason.NoHealthyDecode => "no-healthy-decode",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };
}
