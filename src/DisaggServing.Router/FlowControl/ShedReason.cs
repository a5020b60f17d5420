namespace DisaggServing.Router.FlowControl;

/// <summary>Why a request was refused with 429 instead of being served.</summary>
public enum ShedReason
{
    /// <summary>The queue holds <c>MaxQueueLength</c> requests, none of lower priority.</summary>
    QueueFull,

    /// <summary>The queued bodies would pass <c>MaxQueueBytes</c>, none of lower priority to make room.</summary>
    QueueBytes,

    /// <summary>A negative priority (sheddable) request found no room: it is refused rather than queued.</summary>
    Sheddable,

    /// <summary>The estimated wait is longer than the client's deadline.</summary>
    Deadline,

    /// <summary>The request waited until its deadline (or <c>MaxQueueWaitMs</c>) without being dispatched.</summary>
    Expired,

    /// <summary>A queued request made room for a request of higher priority in a full queue.</summary>
    Displaced,
}

/// <summary>The metric label of each <see cref="ShedReason"/>.</summary>
public static class ShedReasons
{
    /// <summary>The label (snake case) of <paramref name="reason"/>.</summary>
    public static string Label(ShedReason reason) => reason switch
    {
        ShedReason.QueueFull => "queue_full",
        ShedReason.QueueBytes => "queue_bytes",
        ShedReason.Sheddable => "sheddable",
        ShedReason.Deadline => "deadline",
        ShedReason.Expired => "expired",
        ShedReason.Displaced => "displaced",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };
}
