using System.Net;

namespace DisaggServing.Router.Discovery;

/// <summary>Resolves a host name to its addresses (a seam so tests can fake DNS).</summary>
public interface IDnsResolver
{
    /// <summary>Every address of <paramref name="host"/>; a name that does not exist throws a <see cref="System.Net.Sockets.SocketException"/>.</summary>
    Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken);
}
