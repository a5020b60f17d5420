using System.Net;

namespace DisaggServing.Router.Discovery;

/// <summary><see cref="IDnsResolver"/> over <see cref="Dns"/> (the OS resolver, so cluster DNS in a pod).</summary>
public sealed class SystemDnsResolver : IDnsResolver
{
    /// <inheritdoc />
    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) => Dns.GetHostAddressesAsync(host, cancellationToken);
}
