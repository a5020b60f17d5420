namespace DisaggServing.Engine.Scheduling;

/// <summary>Why a request stopped (vLLM's <c>finish_reason</c> plus its abort and error states).</summary>
public enum EngineFinishReason
{
    /// <summary>Still running.</summary>
    None,

    /// <summary>Produced <see cref="EngineRequest.MaxOutputTokens"/> tokens (OpenAI <c>length</c>).</summary>
    Length,

    /// <summary>Aborted by the host (client gone, cancelled).</summary>
    Abort,

    /// <summary>Failed, e.g. a remote KV load that the host chose not to recompute.</summary>
    Error,
}
