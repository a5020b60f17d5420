namespace DisaggServing.Engine.Scheduling;

/// <summary>Where a request is in its life inside the scheduler.</summary>
public enum EngineRequestStatus
{
    /// <summary>Not yet added to a scheduler.</summary>
    New,

    /// <summary>Queued for admission (new, preempted, or ready after a remote KV load).</summary>
    Waiting,

    /// <summary>Holds blocks for its prompt and waits, outside the batch, for the host to load remote KV.</summary>
    WaitingForRemoteKv,

    /// <summary>In the running set: scheduled every step until it finishes.</summary>
    Running,

    /// <summary>Finished prefill for a remote decode; its blocks are held under a lease.</summary>
    Leased,

    /// <summary>Done; all its blocks are back in the pool (see <see cref="EngineRequest.FinishReason"/>).</summary>
    Finished,
}
