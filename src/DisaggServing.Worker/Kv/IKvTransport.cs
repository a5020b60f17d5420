namespace DisaggServing.Worker.Kv;

/// <summary>
/// One way to move a lease's blocks from the prefill engine's KV side channel (as NIXL picks a backend): the
/// transport streams and verifies the blocks and ends the lease; <see cref="KvPuller"/> decides everything else.
/// </summary>
public interface IKvTransport
{
    /// <summary>The transport's name in metrics, traces and logs ("tcp", "grpc").</summary>
    string Name { get; }

    /// <summary>
    /// Pulls <paramref name="pull"/>'s blocks: streams and checks every block, waits the link time
    /// (<see cref="KvTransportPull.WaitLinkTimeAsync"/>), then releases the lease. Null when this transport is off
    /// or the peer does not speak it, before anything was asked of the peer (the puller tries the next transport).
    /// </summary>
    Task<KvTransportResult?> PullAsync(KvTransportPull pull, CancellationToken cancellationToken);

    /// <summary>Extends the lease on the peer; best effort (a failure is logged, not thrown).</summary>
    Task ExtendLeaseAsync(string host, int port, string leaseId, CancellationToken cancellationToken);

    /// <summary>Releases the lease on the peer; best effort (a failure is logged, not thrown), the lease expires anyway.</summary>
    Task ReleaseLeaseAsync(string host, int port, string leaseId, CancellationToken cancellationToken);
}
