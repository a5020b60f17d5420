using System.Net;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace DisaggServing.KvTransfer.Hosting;

/// <summary>The endpoints the listeners actually bound (ports resolved when 0 was asked for), once the server started.</summary>
public sealed class BoundEndpoints
{
    private ListenOptions? _grpc;
    private ListenOptions? _http;

    /// <summary>The gRPC (h2c) endpoint, or null before the server started.</summary>
    public IPEndPoint? Grpc => _grpc?.IPEndPoint;

    /// <summary>The HTTP/1.1 endpoint, or null before the server started.</summary>
    public IPEndPoint? Http => _http?.IPEndPoint;

    internal void Track(ListenOptions grpc, ListenOptions http)
    {
        _grpc = grpc;
        _http = http;
    }
}
