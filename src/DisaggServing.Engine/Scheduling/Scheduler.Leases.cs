namespace DisaggServing.Engine.Scheduling;

// Leases: a finished prefill-for-remote-decode keeps its blocks until the decode engine pulls them
// (release) or the lease runs out (expire), as vLLM's NixlConnector delays freeing them.
public sealed partial class Scheduler
{
    // Ordered by expiry; entries left behind by release, abort or extension are skipped when they surface.
    private readonly PriorityQueue<EngineRequest, TimeSpan> _leaseExpiry = new();

    /// <summary>The lease of a finished prefill-for-remote-decode request: its block ids (a copy) and expiry.</summary>
    public bool TryGetLease(string requestId, out KvLease lease)
    {
        if (TryGetLeased(requestId, out var request))
        {
            lease = new KvLease(request.Id, request.Blocks.ToArray(), request.PromptTokens, request.LeaseExpiresAt);
            return true;
        }
        lease = default;
        return false;
    }

    /// <summary>Whether a finished prefill-for-remote-decode request holds a lease (as <see cref="TryGetLease"/>, without copying its blocks).</summary>
    public bool HasLease(string requestId) => TryGetLeased(requestId, out _);

    /// <summary>
    /// Pushes the lease's expiry to <paramref name="now"/> + <paramref name="duration"/> (default
    /// <see cref="SchedulerConfig.LeaseDuration"/>); never shortens it. False when there is no such lease.
    /// </summary>
    public bool ExtendLease(string requestId, TimeSpan now, TimeSpan? duration = null)
    {
        if (!TryGetLeased(requestId, out var request))
            return false;
        var expiresAt = now + (duration ?? Config.LeaseDuration);
        if (expiresAt > request.LeaseExpiresAt)
        {
            request.LeaseExpiresAt = expiresAt;
            _leaseExpiry.Enqueue(request, expiresAt);
        }
        return true;
    }

    /// <summary>Ends the lease (the decode engine has the KV) and frees its blocks. False when there is no such lease.</summary>
    public bool ReleaseLease(string requestId)
    {
        if (!TryGetLeased(requestId, out var request))
            return false;
        EndLease(request);
        return true;
    }

    /// <summary>
    /// Frees every lease whose expiry is at or before <paramref name="now"/>, adding their request ids to
    /// <paramref name="expiredIds"/> when given. Call it every step or on a timer.
    /// </summary>
    /// <returns>How many leases expired.</returns>
    public int ExpireLeases(TimeSpan now, ICollection<string>? expiredIds = null)
    {
        var expired = 0;
        while (_leaseExpiry.TryPeek(out var request, out var expiresAt) && expiresAt <= now)
        {
            _leaseExpiry.Dequeue();
            if (request.Status != EngineRequestStatus.Leased || request.LeaseExpiresAt != expiresAt)
                continue; // released, aborted or extended since
            EndLease(request);
            NumExpiredLeases++;
            expired++;
            expiredIds?.Add(request.Id);
        }
        return expired;
    }

    /// <summary>
    /// When the earliest live lease expires; false when none is held. A host whose engine idles with work it cannot
    /// admit (its blocks leased) wakes it then, since nothing else may free them.
    /// </summary>
    public bool TryGetNextLeaseExpiry(out TimeSpan expiresAt)
    {
        while (_leaseExpiry.TryPeek(out var request, out expiresAt))
        {
            if (request.Status == EngineRequestStatus.Leased && request.LeaseExpiresAt == expiresAt)
                return true;
            _leaseExpiry.Dequeue(); // released, aborted or extended since
        }
        return false;
    }

    private void StartLease(EngineRequest request, TimeSpan now)
    {
        ReleaseReservation(request);
        request.Status = EngineRequestStatus.Leased;
        request.LeaseExpiresAt = now + Config.LeaseDuration;
        _leaseExpiry.Enqueue(request, request.LeaseExpiresAt);
        NumLeases++;
    }

    private void EndLease(EngineRequest request)
    {
        KvCache.Free(request.Blocks);
        request.SlotTokens = 0;
        request.Status = EngineRequestStatus.Finished;
        _requests.Remove(request.Id);
        NumLeases--;
    }

    private bool TryGetLeased(string requestId, out EngineRequest request)
    {
        ArgumentNullException.ThrowIfNull(requestId);
        return _requests.TryGetValue(requestId, out request!) && request.Status == EngineRequestStatus.Leased;
    }
}
