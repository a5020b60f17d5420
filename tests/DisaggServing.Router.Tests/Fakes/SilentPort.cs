using System.Net;
using System.Net.Sockets;

namespace DisaggServing.Router.Tests.Fakes;

/// <summary>
/// A loopback port where a connect hangs instead of being refused, as it does to an engine whose host is overloaded
/// or gone from the network: a socket listens with a backlog of one and never accepts, and one connection made here
/// fills that backlog, so Linux drops every later SYN and the caller's connect waits until its own timeout.
/// </summary>
public sealed class SilentPort : IDisposable
{
    private readonly Socket _listener;
    private readonly Socket _filler;

    public SilentPort()
    {
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(0);
        Port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
        _filler = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _filler.Connect(IPAddress.Loopback, Port);
    }

    public int Port { get; }

    /// <summary>A base URL whose connects time out.</summary>
    public string Url => $"http://127.0.0.1:{Port}";

    public void Dispose()
    {
        _filler.Dispose();
        _listener.Dispose();
    }
}
