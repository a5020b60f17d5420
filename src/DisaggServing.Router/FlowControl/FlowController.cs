using DisaggServing.Router.Telemetry;

namespace DisaggServing.Router.FlowControl;

/// <summary>
/// Admission in front of scheduling. A request is dispatched at once while the engines have room and nothing waits;
/// otherwise it waits in the <see cref="FlowQueue"/> (priority bands, tenants round-robin) until a dispatched request
/// ends, or is shed with a retry hint: sheddable (negative priority) requests when there is no room, any request when
/// the queue is full (after lower priorities have made room) or its deadline cannot be met. Cancelled waiters leave at
/// once. While the engines report saturation, the dispatched level is held where it was (each completion admits one),
/// so engine queues stop growing without stalling. <see cref="Tick"/> expires deadlines and re-reads the engines.
/// </summary>
public sealed class FlowController
{
    private static readonly TimeSpan MaxRetryAfter = TimeSpan.FromSeconds(60);

    private readonly Lock _gate = new();
    private readonly FlowQueue _queue = new();
    private readonly FlowControlOptions _options;
    private readonly IDispatchCapacity _capacity;
    private readonly RouterMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ServiceRate _rate;
    private int _inFlight;
    private int? _heldLevel;

    /// <summary>A controller over <paramref name="capacity"/>, reporting to <paramref name="metrics"/>.</summary>
    public FlowController(FlowControlOptions options, IDispatchCapacity capacity, RouterMetrics metrics, TimeProvider time)
    {
        _options = options;
        _capacity = capacity;
        _metrics = metrics;
        _time = time;
        _rate = new ServiceRate(time);
    }

    /// <summary>Requests dispatched and not yet ended.</summary>
    public int InFlight
    {
        get { lock (_gate) return _inFlight; }
    }

    /// <summary>Requests waiting.</summary>
    public int Queued
    {
        get { lock (_gate) return _queue.Count; }
    }

    /// <summary>Body bytes held by waiting requests.</summary>
    public long QueuedBytes
    {
        get { lock (_gate) return _queue.Bytes; }
    }

    /// <summary>
    /// Waits until <paramref name="ticket"/> may be dispatched and returns the lease to dispose when the request ends;
    /// throws <see cref="FlowShedException"/> when it is shed, <see cref="OperationCanceledException"/> when cancelled.
    /// </summary>
    public ValueTask<FlowLease> AdmitAsync(FlowTicket ticket, CancellationToken cancellationToken)
    {
        if (!_options.Enabled) return new(FlowLease.None);
        cancellationToken.ThrowIfCancellationRequested();
        QueuedRequest request;
        lock (_gate)
        {
            var now = _time.GetTimestamp();
            var room = HasRoom();
            if (room && _queue.Count == 0)
            {
                _inFlight++;
                _metrics.ObserveQueueWait(0);
                return new(new FlowLease(this));
            }
            if (!room) Refuse(ticket, now);
            MakeRoom(ticket);
            request = new QueuedRequest(ticket, now, ExpiryOf(ticket, now));
            _queue.Enqueue(request);
            _metrics.QueueChanged(ticket.Priority, 1, _queue.Bytes);
            Dispatch(now);
        }
        return WaitAsync(request, cancellationToken);
    }

    /// <summary>
    /// The shed decision for a request of <paramref name="priority"/> that is certain to be refused now (no room, and it
    /// is sheddable or the queue is full with nothing of lower priority), so the caller can answer before reading its
    /// body; null when it may be admitted or queued.
    /// </summary>
    public FlowShedException? RefuseEarly(int priority)
    {
        if (!_options.Enabled) return null;
        lock (_gate)
        {
            if (HasRoom()) return null;
            var now = _time.GetTimestamp();
            if (priority < 0) return Shed(ShedReason.Sheddable, _queue.AheadOf(priority, ""), now);
            if (_queue.Count >= _options.MaxQueueLength && _queue.VictimBelow(priority) is null)
                return Shed(ShedReason.QueueFull, _queue.AheadOf(priority, ""), now);
            return null;
        }
    }

    /// <summary>Expires requests past their deadline and dispatches what the engines now have room for.</summary>
    public void Tick()
    {
        lock (_gate)
        {
            var now = _time.GetTimestamp();
            foreach (var request in _queue.Expired(now))
                Shed(request, ShedReason.Expired, now);
            Dispatch(now);
        }
    }

    internal void Release()
    {
        lock (_gate)
        {
            var now = _time.GetTimestamp();
            _inFlight--;
            _rate.Record(now);
            Dispatch(now);
        }
    }

    private async ValueTask<FlowLease> WaitAsync(QueuedRequest request, CancellationToken cancellationToken)
    {
        FlowShedException? shed;
        using (cancellationToken.Register(static state =>
               {
                   var (controller, waiting) = ((FlowController, QueuedRequest))state!;
                   controller.Cancel(waiting);
               }, (this, request)))
            shed = await request.Outcome.Task.ConfigureAwait(false);
        if (shed is not null) throw shed;
        return new FlowLease(this);
    }

    private void Cancel(QueuedRequest request)
    {
        lock (_gate)
        {
            if (!_queue.Remove(request)) return;
            _metrics.QueueChanged(request.Ticket.Priority, -1, _queue.Bytes);
        }
        request.Outcome.TrySetCanceled();
    }

    private bool HasRoom()
    {
        var capacity = _capacity.Read();
        if (!capacity.Saturated)
        {
            _heldLevel = null;
            return _inFlight < capacity.Limit;
        }
        // Saturated: keep the level reached (at least one per engine, so the pool still makes progress).
        _heldLevel ??= Math.Max(_inFlight, capacity.Engines);
        return _inFlight < Math.Min(_heldLevel.Value, capacity.Limit);
    }

    // No room now: a sheddable request, or one whose deadline the estimated wait passes, is refused before it queues.
    private void Refuse(FlowTicket ticket, long now)
    {
        var ahead = _queue.AheadOf(ticket.Priority, ticket.Tenant);
        if (ticket.Priority < 0) throw Shed(ShedReason.Sheddable, ahead, now);
        if (ticket.Deadline is { } deadline && EstimatedWait(ahead, now) is { } wait
            && now + (long)(wait.TotalSeconds * _time.TimestampFrequency) > deadline)
            throw Shed(ShedReason.Deadline, ahead, now);
    }

    // A full queue (count or bytes) gives up its lowest-priority requests for a higher one, or refuses the new one.
    private void MakeRoom(FlowTicket ticket)
    {
        while (_queue.Count >= _options.MaxQueueLength || _queue.Bytes + ticket.Bytes > _options.MaxQueueBytes)
        {
            var now = _time.GetTimestamp();
            var reason = _queue.Count >= _options.MaxQueueLength ? ShedReason.QueueFull : ShedReason.QueueBytes;
            if (_queue.VictimBelow(ticket.Priority) is not { } victim || ticket.Bytes > _options.MaxQueueBytes)
                throw Shed(reason, _queue.AheadOf(ticket.Priority, ticket.Tenant), now);
            Shed(victim, ShedReason.Displaced, now);
        }
    }

    private long? ExpiryOf(FlowTicket ticket, long now)
    {
        long? limit = _options.MaxQueueWaitMs > 0 ? now + _options.MaxQueueWaitMs * _time.TimestampFrequency / 1000 : null;
        return (ticket.Deadline, limit) switch
        {
            ({ } d, { } l) => Math.Min(d, l),
            ({ } d, null) => d,
            (null, var l) => l,
        };
    }

    private void Dispatch(long now)
    {
        while (_queue.Count > 0 && HasRoom())
        {
            var request = _queue.Dequeue()!;
            _inFlight++;
            _metrics.QueueChanged(request.Ticket.Priority, -1, _queue.Bytes);
            _metrics.ObserveQueueWait(_time.GetElapsedTime(request.EnqueuedAt, now).TotalSeconds);
            request.Outcome.TrySetResult(null);
        }
    }

    private void Shed(QueuedRequest request, ShedReason reason, long now)
    {
        if (!_queue.Remove(request)) return;
        _metrics.QueueChanged(request.Ticket.Priority, -1, _queue.Bytes);
        request.Outcome.TrySetResult(Shed(reason, _queue.AheadOf(request.Ticket.Priority, request.Ticket.Tenant), now));
    }

    private FlowShedException Shed(ShedReason reason, int ahead, long now)
    {
        _metrics.Shed(ShedReasons.Label(reason));
        return new FlowShedException(reason, RetryAfter(ahead, now));
    }

    // Time for the queue ahead to drain at the recent service rate; unknown before two completions.
    private TimeSpan? EstimatedWait(int ahead, long now) =>
        _rate.PerSecond(now) is { } perSecond ? TimeSpan.FromSeconds((ahead + 1) / perSecond) : null;

    private TimeSpan RetryAfter(int ahead, long now)
    {
        var wait = EstimatedWait(ahead, now) ?? TimeSpan.FromSeconds(1);
        var seconds = Math.Ceiling(Math.Clamp(wait.TotalSeconds, 1, MaxRetryAfter.TotalSeconds));
        return TimeSpan.FromSeconds(seconds);
    }
}
