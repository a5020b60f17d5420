using System.Net;
using System.Net.Sockets;
using DisaggServing.Router.Tests.Fakes;

namespace DisaggServing.Router.Tests.Unit;

/// <summary>The failover tests' dead endpoint stays dead: refused, and not to be taken by anything else while held.</summary>
public class DeadPortTests
{
    [Fact]
    public async Task Connections_are_refused_and_the_port_cannot_be_bound_again()
    {
        using var dead = new DeadPort();

        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var refused = await Assert.ThrowsAsync<SocketException>(() => client.ConnectAsync(IPAddress.Loopback, dead.Port));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);

        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true); // as servers do
        var taken = Assert.Throws<SocketException>(() => listener.Bind(new IPEndPoint(IPAddress.Loopback, dead.Port)));
        Assert.Equal(SocketError.AddressAlreadyInUse, taken.SocketErrorCode);
    }
}
