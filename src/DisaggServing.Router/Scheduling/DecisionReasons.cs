namespace DisaggServing.Router.Scheduling;

/// <summary>Why the profile handler chose a route (the <c>reason</c> label of the decisions counter).</summary>
public static class DecisionReasons
{
    /// <summary>The uncached part of the prompt is long enough for P/D.</summary>
    public const string Uncached = "uncached";

    /// <summary>The prompt is shorter than the decider's threshold.</summary>
    public const string ShortPrompt = "short-prompt";

    /// <summary>The decode engine holds enough of the prompt that the rest is under the threshold.</summary>
    public const string CachedPrefix = "cached-prefix";

    /// <summary>No prefill engine is configured or discovered.</summary>
    public const string NoPrefill = "no-prefill";

    /// <summary>Prefill engines exist but the prefill profile kept none (all unhealthy or failing).</summary>
    public const string NoHealthyPrefill = "no-healthy-prefill";

    /// <summary>Prefill failed (and its retry): the request fell back to decode-only.</summary>
    public const string PrefillFailed = "prefill-failed";

    /// <summary>No decode engine is configured or discovered (the request gets 503).</summary>
    public const string NoDecode = "no-decode";

    /// <summary>Decode engines exist but the decode profile kept none (the request gets 503).</summary>
    public const string NoHealthyDecode = "no-healthy-decode";
}
