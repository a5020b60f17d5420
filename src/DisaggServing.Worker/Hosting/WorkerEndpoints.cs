using System.Net;
using DisaggServing.Worker.Connector;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace DisaggServing.Worker.Hosting;

/// <summary>
/// The worker's two Kestrel endpoints: the OpenAI/vLLM API and the KV side channel (gRPC). Ports configured as 0
/// are known only once Kestrel has bound them; read them after start.
/// </summary>
public sealed class WorkerEndpoints(string advertisedHost) : IKvSideChannelAddress
{
    private readonly List<ListenOptions> _http = [];
    private ListenOptions? _kv;

    /// <inheritdoc />
    public string AdvertisedHost { get; } = advertisedHost;

    /// <summary>The bound API port (the first API endpoint).</summary>
    public int HttpPort => _http.Select(o => (o.EndPoint as IPEndPoint)?.Port ?? 0).FirstOrDefault();

    /// <inheritdoc />
    public int KvPort => (_kv?.EndPoint as IPEndPoint)?.Port ?? 0;

    /// <summary>The API's base address as other processes reach it.</summary>
    public string HttpAddress => $"http://{AdvertisedHost}:{HttpPort}";

    internal void AddHttp(ListenOptions options) => _http.Add(options);

    internal void SetKv(ListenOptions options) => _kv = options;
}
