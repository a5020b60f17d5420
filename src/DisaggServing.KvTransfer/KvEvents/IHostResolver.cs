using System.Net;

namespace DisaggServing.KvTransfer.KvEvents;

/// <summary>Resolves a host name to its addresses (the OS resolver; a seam for tests).</summary>
public interface IHostResolver
{
    /// <summary>Every address of <paramref name="host"/>; a name that does not exist throws a <see cref="System.Net.Sockets.SocketException"/>.</summary>
    Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken);
}
