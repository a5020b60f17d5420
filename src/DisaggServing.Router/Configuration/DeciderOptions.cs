namespace DisaggServing.Router.Configuration;

/// <summary><c>Router:Decider</c>: when a request skips prefill.</summary>
public sealed class DeciderOptions
{
    /// <summary>Below this many uncached prompt tokens (prompt − best prefix hit on the chosen decode engine) a request goes decode-only.</summary>
    public int MinUncachedTokens { get; set; } = 256;
}
