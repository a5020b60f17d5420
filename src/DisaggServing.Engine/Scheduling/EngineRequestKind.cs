namespace DisaggServing.Engine.Scheduling;

/// <summary>The role a request plays in prefill/decode disaggregation (vLLM's <c>kv_transfer_params</c>).</summary>
public enum EngineRequestKind
{
    /// <summary>An ordinary request: prefill and decode on this engine.</summary>
    Normal,

    /// <summary>
    /// vLLM <c>do_remote_decode</c>: prefill, sample one token, then finish while keeping the KV blocks under a
    /// lease until the decode engine has pulled them.
    /// </summary>
    PrefillForRemoteDecode,

    /// <summary>
    /// vLLM <c>do_remote_prefill</c>: allocate blocks for the prompt, wait outside the batch until the host has
    /// loaded the remote KV (<see cref="Scheduler.CompleteRemoteKvLoad"/>), then decode.
    /// </summary>
    DecodeWithRemoteKv,
}
