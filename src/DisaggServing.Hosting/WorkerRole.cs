namespace Aspire.Hosting.ApplicationModel;

/// <summary>What the replicas of a worker pool do (the worker's <c>Worker:Role</c>).</summary>
public enum WorkerRole
{
    /// <summary>Prefill only: compute prompt KV and lease it to a decode worker.</summary>
    Prefill,

    /// <summary>Decode only: pull KV from a prefill worker and generate.</summary>
    Decode,

    /// <summary>Both (colocated, or decode-only routing).</summary>
    Both,
}
