namespace DisaggServing.Engine.Scheduling;

/// <summary>How the scheduler decides that a waiting request may join the batch.</summary>
public enum AdmissionPolicy
{
    /// <summary>
    /// vLLM: allocate KV blocks as tokens arrive; when the pool runs dry, preempt the newest running request
    /// by recompute (free its blocks, requeue it at the front).
    /// </summary>
    OnDemand,

    /// <summary>
    /// TensorRT-LLM's GUARANTEED_NO_EVICT: admit a request only when blocks for its prompt plus all its output
    /// tokens are free beyond what admitted requests still have reserved; never preempts.
    /// </summary>
    ReserveFull,
}
