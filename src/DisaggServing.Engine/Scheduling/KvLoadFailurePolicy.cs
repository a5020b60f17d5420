namespace DisaggServing.Engine.Scheduling;

/// <summary>What a decode engine does when loading remote KV fails (vLLM's <c>kv_load_failure_policy</c>).</summary>
public enum KvLoadFailurePolicy
{
    /// <summary>Prefill the prompt locally, starting from the local prefix-cache hits.</summary>
    Recompute,

    /// <summary>Finish the request with <see cref="EngineFinishReason.Error"/> and free its blocks.</summary>
    Fail,
}
