using System.Net;
using System.Net.Sockets;

namespace DisaggServing.Router.Tests.Fakes;

/// <summary>
/// A loopback port where nothing listens, and where nothing else can while this object lives: a socket holds the
/// port bound without listening, so connections to it are refused, and no server or client of another test running
/// in parallel can be given it (a port freed right away, as TcpListener-and-stop did, can be). .NET sets
/// SO_REUSEADDR when it binds on Unix, which would let another socket bind the port explicitly while it is not
/// listening; clearing it after the bind makes the hold exclusive.
/// </summary>
public sealed class DeadPort : IDisposable
{
    private readonly Socket _socket;

    public DeadPort()
    {
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, false);
        Port = ((IPEndPoint)_socket.LocalEndPoint!).Port;
    }

    public int Port { get; }

    /// <summary>A base URL on which connections are refused.</summary>
    public string Url => $"http://127.0.0.1:{Port}";

    public void Dispose() => _socket.Dispose();
}
