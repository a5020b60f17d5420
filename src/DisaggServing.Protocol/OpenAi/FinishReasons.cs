namespace DisaggServing.Protocol.OpenAi;

/// <summary>OpenAI <c>finish_reason</c> values.</summary>
public static class FinishReasons
{
    /// <summary>Hit max_tokens.</summary>
    public const string Length = "length";

    /// <summary>Natural end or a stop string.</summary>
    public const string Stop = "stop";

    /// <summary>Aborted.</summary>
    public const string Abort = "abort";
}
