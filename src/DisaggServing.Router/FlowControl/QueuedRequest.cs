namespace DisaggServing.Router.FlowControl;

/// <summary>A waiting request: its ticket, when it queued, until when it may wait, and how its wait ends.</summary>
public sealed class QueuedRequest
{
    internal QueuedRequest(FlowTicket ticket, long enqueuedAt, long? expiresAt)
    {
        Ticket = ticket;
        EnqueuedAt = enqueuedAt;
        ExpiresAt = expiresAt;
    }

    /// <summary>The request.</summary>
    public FlowTicket Ticket { get; }

    /// <summary>TimeProvider timestamp it was queued at.</summary>
    public long EnqueuedAt { get; }

    /// <summary>Timestamp past which it is shed (<see cref="ShedReason.Expired"/>); null = never.</summary>
    public long? ExpiresAt { get; }

    /// <summary>Completes with null when dispatched, with the shed decision when refused, cancelled when the client left.</summary>
    internal TaskCompletionSource<FlowShedException?> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal LinkedListNode<QueuedRequest>? Node { get; set; }

    internal FlowQueue.TenantQueue? Owner { get; set; }
}
