namespace DisaggServing.Protocol.OpenAi;

/// <summary>OpenAI <c>stream_options</c>.</summary>
public sealed class StreamOptions
{
    /// <summary>Send a last chunk with <c>usage</c> and no choices.</summary>
    public bool? IncludeUsage { get; set; }
}
