using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using DisaggServing.Protocol.KvPeer;
using DisaggServing.Router.Configuration;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DisaggServing.Router.Proxy;

/// <summary>
/// When a prefill left its KV under a lease but no decode engine took the request (the client went away, or the decode
/// engine could not be reached or failed before answering), asks the prefill engine's KV side channel
/// (<c>KvPeer.ReleaseLease</c> at remote_host:remote_port) to free the blocks now instead of at lease expiry.
/// Best effort and in the background; off with <c>Router:ReleaseAbandonedLeases=false</c> (e.g. for real vLLM pods, whose
/// side channel is NIXL's, not this gRPC service).
/// </summary>
public sealed partial class AbandonedLeaseReleaser(IOptions<RouterOptions> options, ILogger<AbandonedLeaseReleaser> logger) : IDisposable
{
    /// <summary>The requester id the router gives in its release calls.</summary>
    public const string RequesterId = "router";

    private const int MaxChannels = 256;
    private readonly ConcurrentDictionary<string, GrpcChannel> _channels = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Starts releasing the lease named by a prefill response's <paramref name="kvTransferParams"/>; returns the task (tests await it).</summary>
    public Task Release(JsonElement kvTransferParams)
    {
        if (!options.Value.ReleaseAbandonedLeases || kvTransferParams.ValueKind != JsonValueKind.Object) return Task.CompletedTask;
        if (!TryGetString(kvTransferParams, "remote_request_id", out var requestId)
            || !TryGetString(kvTransferParams, "remote_host", out var host)
            || !kvTransferParams.TryGetProperty("remote_port", out var portElement)
            || !portElement.TryGetInt32(out var port) || port is <= 0 or > 65535)
            return Task.CompletedTask;
        var address = string.Create(CultureInfo.InvariantCulture, $"http://{(host.Contains(':') && !host.StartsWith('[') ? $"[{host}]" : host)}:{port}");
        if (!Uri.TryCreate(address, UriKind.Absolute, out _)) return Task.CompletedTask;
        if (_channels.Count >= MaxChannels && !_channels.ContainsKey(address)) return Task.CompletedTask;
        var channel = _channels.GetOrAdd(address, a => GrpcChannel.ForAddress(a, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler { UseProxy = false, ConnectTimeout = TimeSpan.FromSeconds(1), EnableMultipleHttp2Connections = true },
        }));
        return ReleaseAsync(new KvPeer.KvPeerClient(channel), requestId, address);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var channel in _channels.Values) channel.Dispose();
        _channels.Clear();
    }

    private async Task ReleaseAsync(KvPeer.KvPeerClient client, string requestId, string address)
    {
        try
        {
            await client.ReleaseLeaseAsync(
                new LeaseRequest { RemoteRequestId = requestId, RequesterEngineId = RequesterId },
                deadline: DateTime.UtcNow.AddSeconds(2)).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            LogReleaseFailed(logger, requestId, address, ex.Message);
        }
    }

    private static bool TryGetString(JsonElement element, string name, out string value)
    {
        value = "";
        if (!element.TryGetProperty(name, out var property) || property.ValueKind != JsonValueKind.String) return false;
        value = property.GetString() ?? "";
        return value.Length > 0;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Releasing the abandoned lease {RequestId} at {Address} failed: {Error}")]
    private static partial void LogReleaseFailed(ILogger logger, string requestId, string address, string error);
}
