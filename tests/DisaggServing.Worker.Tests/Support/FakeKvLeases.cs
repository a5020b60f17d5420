using DisaggServing.Engine.Scheduling;
using DisaggServing.Worker.Connector;

namespace DisaggServing.Worker.Tests.Support;

/// <summary>An in-memory <see cref="IKvLeases"/>: the leases a test put there, nothing else.</summary>
public sealed class FakeKvLeases : IKvLeases
{
    public Dictionary<string, KvLease> Open { get; } = new(StringComparer.Ordinal);

    public bool TryGetLease(string leaseId, out KvLease lease) => Open.TryGetValue(leaseId, out lease);

    public bool ExtendLease(string leaseId, out TimeSpan expiresIn)
    {
        expiresIn = Open.ContainsKey(leaseId) ? TimeSpan.FromSeconds(30) : TimeSpan.Zero;
        return Open.ContainsKey(leaseId);
    }

    public bool ReleaseLease(string leaseId) => Open.Remove(leaseId);
}
