using System.Net;

namespace DisaggServing.KvTransfer.KvEvents;

/// <summary><see cref="IHostResolver"/> over <see cref="Dns"/> (cluster DNS in a pod).</summary>
public sealed class SystemHostResolver : IHostResolver
{
    /// <inheritdoc />
    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) => Dns.GetHostAddressesAsync(host, cancellationToken);
}
