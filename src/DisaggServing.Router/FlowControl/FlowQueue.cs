namespace DisaggServing.Router.FlowControl;

/// <summary>
/// The waiting requests: one band per priority, served highest first; within a band, one FIFO per tenant, served
/// round-robin (a request each per turn) so that one tenant's burst waits behind its own requests, not everyone's.
/// Every operation is O(1) or O(tenants of a band), except <see cref="Expired"/>. Not thread-safe: the caller locks.
/// </summary>
public sealed class FlowQueue
{
    // Highest priority first.
    private readonly SortedDictionary<int, Band> _bands = new(Comparer<int>.Create((a, b) => b.CompareTo(a)));

    /// <summary>Requests waiting.</summary>
    public int Count { get; private set; }

    /// <summary>Body bytes held by the waiting requests.</summary>
    public long Bytes { get; private set; }

    /// <summary>Requests waiting at <paramref name="priority"/>.</summary>
    public int CountAt(int priority) => _bands.TryGetValue(priority, out var band) ? band.Count : 0;

    /// <summary>Adds <paramref name="request"/> behind its tenant's earlier requests of the same priority.</summary>
    public void Enqueue(QueuedRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Node is not null) throw new InvalidOperationException("The request is already queued.");
        var priority = request.Ticket.Priority;
        if (!_bands.TryGetValue(priority, out var band)) _bands[priority] = band = new Band();
        if (!band.Tenants.TryGetValue(request.Ticket.Tenant, out var tenant))
        {
            tenant = new TenantQueue(request.Ticket.Tenant, band);
            band.Tenants[tenant.Name] = tenant;
            tenant.RingNode = band.Ring.AddLast(tenant);
        }
        request.Node = tenant.Items.AddLast(request);
        request.Owner = tenant;
        band.Count++;
        Count++;
        Bytes += request.Ticket.Bytes;
    }

    /// <summary>The next request to dispatch (removed), or null when none waits.</summary>
    public QueuedRequest? Dequeue()
    {
        foreach (var band in _bands.Values)
        {
            // The band's first tenant gives one request and goes to the back of the ring.
            var tenant = band.Ring.First!.Value;
            var request = tenant.Items.First!.Value;
            Remove(request);
            if (tenant.RingNode is { } node)
            {
                band.Ring.Remove(node);
                band.Ring.AddLast(node);
            }
            return request;
        }
        return null;
    }

    /// <summary>Removes <paramref name="request"/>; false when it is not queued (dispatched or removed before).</summary>
    public bool Remove(QueuedRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Node is not { } node || request.Owner is not { } tenant) return false;
        tenant.Items.Remove(node);
        request.Node = null;
        request.Owner = null;
        var band = tenant.Band;
        band.Count--;
        Count--;
        Bytes -= request.Ticket.Bytes;
        if (tenant.Items.Count == 0)
        {
            band.Ring.Remove(tenant.RingNode!);
            tenant.RingNode = null;
            band.Tenants.Remove(tenant.Name);
        }
        if (band.Count == 0) _bands.Remove(request.Ticket.Priority);
        return true;
    }

    /// <summary>
    /// The request to give up for one of <paramref name="priority"/> in a full queue: the newest of the lowest band below
    /// it, from that band's longest tenant queue (the heaviest user pays first); null when nothing waits below it.
    /// </summary>
    public QueuedRequest? VictimBelow(int priority)
    {
        if (_bands.Count == 0) return null;
        var (lowest, band) = _bands.Last();
        if (lowest >= priority) return null;
        TenantQueue? longest = null;
        foreach (var tenant in band.Ring)
            if (longest is null || tenant.Items.Count > longest.Items.Count) longest = tenant;
        return longest!.Items.Last!.Value;
    }

    /// <summary>
    /// How many waiting requests go before a new one of <paramref name="priority"/> from <paramref name="tenant"/>: every
    /// higher band, and in its own band, with round-robin, up to as many of each tenant as its own position.
    /// </summary>
    public int AheadOf(int priority, string tenant)
    {
        var ahead = 0;
        foreach (var (bandPriority, band) in _bands)
        {
            if (bandPriority > priority)
            {
                ahead += band.Count;
                continue;
            }
            if (bandPriority < priority) break;
            var position = (band.Tenants.TryGetValue(tenant, out var own) ? own.Items.Count : 0) + 1;
            foreach (var other in band.Ring)
                ahead += Math.Min(other.Items.Count, position);
        }
        return ahead;
    }

    /// <summary>The requests whose <see cref="QueuedRequest.ExpiresAt"/> is at or before <paramref name="now"/> (not removed).</summary>
    public List<QueuedRequest> Expired(long now)
    {
        var expired = new List<QueuedRequest>();
        foreach (var band in _bands.Values)
            foreach (var tenant in band.Ring)
                foreach (var request in tenant.Items)
                    if (request.ExpiresAt is { } at && at <= now) expired.Add(request);
        return expired;
    }

    internal sealed class Band
    {
        public int Count;
        public readonly LinkedList<TenantQueue> Ring = new();
        public readonly Dictionary<string, TenantQueue> Tenants = new(StringComparer.Ordinal);
    }

    internal sealed class TenantQueue(string name, Band band)
    {
        public string Name { get; } = name;
        public Band Band { get; } = band;
        public readonly LinkedList<QueuedRequest> Items = new();
        public LinkedListNode<TenantQueue>? RingNode;
    }
}
