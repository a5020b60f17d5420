using System.Collections.Concurrent;
using System.Net.Sockets;

namespace DisaggServing.Worker.Kv;

/// <summary>
/// The puller's KV data-channel connections: a few idle ones kept per prefill, and which prefills do not speak the
/// channel (they are pulled from over gRPC for a while before the channel is tried again).
/// </summary>
public sealed class KvDataChannelClient(ILogger<KvDataChannelClient> logger) : IDisposable
{
    /// <summary>Idle connections kept per peer.</summary>
    public const int IdlePerPeer = 64;

    private static readonly TimeSpan RetryAfter = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, ConcurrentQueue<KvDataConnection>> _idle = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, DateTime> _grpcOnly = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>An idle connection to the peer, if any (it may have gone stale: retry a failure before any reply on a fresh one).</summary>
    public KvDataConnection? TakeIdle(string host, int port) =>
        _idle.TryGetValue(Key(host, port), out var queue) && queue.TryDequeue(out var connection) ? connection : null;

    /// <summary>
    /// A new connection, or null when the peer is known not to speak the channel or turns out not to (logged once per
    /// discovery). Connection failures throw.
    /// </summary>
    public async Task<KvDataConnection?> OpenAsync(string host, int port, CancellationToken cancellationToken)
    {
        var key = Key(host, port);
        if (_grpcOnly.TryGetValue(key, out var until) && DateTime.UtcNow < until)
            return null;
        KvDataConnection? connection;
        try
        {
            connection = await KvDataConnection.OpenAsync(host, port, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            // Unreachable: let the gRPC path report it as it always has.
            logger.LogDebug(e, "KV data channel to {Peer} failed to connect", key);
            return null;
        }
        if (connection is null)
        {
            _grpcOnly[key] = DateTime.UtcNow + RetryAfter;
            logger.LogInformation("The KV side channel at {Peer} does not speak the raw-TCP data channel: pulling over gRPC", key);
        }
        else
        {
            _grpcOnly.TryRemove(key, out _);
        }
        return connection;
    }

    /// <summary>True when the peer was found not to speak the channel lately.</summary>
    public bool IsGrpcOnly(string host, int port) =>
        _grpcOnly.TryGetValue(Key(host, port), out var until) && DateTime.UtcNow < until;

    /// <summary>Keeps a connection whose last pull went through for the next pull; disposes any other.</summary>
    public void Return(KvDataConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        if (!connection.Reusable || !connection.Buffered.IsEmpty)
        {
            connection.Dispose();
            return;
        }
        var queue = _idle.GetOrAdd(connection.Peer, _ => new ConcurrentQueue<KvDataConnection>());
        if (queue.Count >= IdlePerPeer)
            connection.Dispose();
        else
        {
            connection.ReleaseBuffer();
            queue.Enqueue(connection);
        }
    }

    public void Dispose()
    {
        foreach (var queue in _idle.Values)
        {
            while (queue.TryDequeue(out var connection))
                connection.Dispose();
        }
    }

    /// <summary>True for the failures a stale pooled connection shows before any reply.</summary>
    public static bool IsStale(Exception e) => e is IOException or SocketException or ObjectDisposedException;

    private static string Key(string host, int port) => $"{host}:{port}";
}
