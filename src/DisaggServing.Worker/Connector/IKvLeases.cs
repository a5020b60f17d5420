using DisaggServing.Engine.Scheduling;

namespace DisaggServing.Worker.Connector;

/// <summary>
/// The scheduler-side role of the KV connector (as vLLM's <c>KVConnectorBase_V1</c> splits it): a prefill's blocks
/// held for a remote decoder under a lease, until the decoder releases them or the lease expires. The engine owns
/// the leases; the KV side channel serves and ends them through this interface only.
/// </summary>
public interface IKvLeases
{
    /// <summary>The open lease <paramref name="leaseId"/> (a prefill's blocks kept for a remote decoder).</summary>
    bool TryGetLease(string leaseId, out KvLease lease);

    /// <summary>Pushes the lease's expiry out by the lease time; <paramref name="expiresIn"/> is engine time left.</summary>
    bool ExtendLease(string leaseId, out TimeSpan expiresIn);

    /// <summary>Ends the lease (the decoder has the KV) and frees its blocks; false when it was not open.</summary>
    bool ReleaseLease(string leaseId);
}
