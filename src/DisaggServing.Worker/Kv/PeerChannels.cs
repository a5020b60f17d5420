using System.Collections.Concurrent;
using Grpc.Net.Client;

namespace DisaggServing.Worker.Kv;

/// <summary>One long-lived h2c gRPC channel per peer KV side channel (channels are thread-safe and pool connections).</summary>
public sealed class PeerChannels : IDisposable
{
    private readonly ConcurrentDictionary<string, GrpcChannel> _channels = new(StringComparer.OrdinalIgnoreCase);

    public GrpcChannel Get(string host, int port)
    {
        var address = $"http://{(host.Contains(':') && !host.StartsWith('[') ? $"[{host}]" : host)}:{port}";
        return _channels.GetOrAdd(address, Create);
    }

    public void Dispose()
    {
        foreach (var channel in _channels.Values)
            channel.Dispose();
        _channels.Clear();
    }

    internal static GrpcChannel Create(string address) => GrpcChannel.ForAddress(address, new GrpcChannelOptions
    {
        HttpHandler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            KeepAlivePingDelay = TimeSpan.FromSeconds(30),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
        },
        // Unscaled payloads of big models exceed gRPC's 4 MB default per block.
        MaxReceiveMessageSize = null,
        MaxSendMessageSize = null,
    });
}
