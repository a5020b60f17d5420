using System.Collections.Concurrent;
using Grpc.Net.Client;

namespace DisaggServing.Worker.Kv;

/// <summary>One long-lived h2c gRPC channel per peer KV side channel (channels are thread-safe and pool connections).</summary>
public sealed class PeerChannels : IDisposable
{
    /// <summary>HTTP/2 receive window per KV stream.</summary>
    public const int StreamWindowBytes = 16 * 1024 * 1024;

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
            // The server may run this far ahead of the puller's checking before it waits for a WINDOW_UPDATE (the
            // default starts at 64 KiB and grows with the measured RTT): 16 MiB, the stack's cap for the dynamic
            // window, made a 256 MiB pull about a quarter faster. A stream buffers that much only while its reader lags.
            InitialHttp2StreamWindowSize = StreamWindowBytes,
        },
        // Unscaled payloads of big models exceed gRPC's 4 MB default per block.
        MaxReceiveMessageSize = null,
        MaxSendMessageSize = null,
    });
}
