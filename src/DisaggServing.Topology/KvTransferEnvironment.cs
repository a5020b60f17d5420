namespace DisaggServing.Topology;

/// <summary>
/// The KV-transfer service's configuration contract as environment variables (ASP.NET configuration, so
/// <c>KvTransfer__GrpcPort</c> is <c>KvTransfer:GrpcPort</c>). One list for the AppHost's local resource and the
/// EKS manifests.
/// </summary>
public static class KvTransferEnvironment
{
    /// <summary>HTTP/1.1 port of /health, /alive, /metrics and the JSON views.</summary>
    public const string HttpPort = "KvTransfer__HttpPort";

    /// <summary>h2c gRPC port (engine registry, KV index, telemetry).</summary>
    public const string GrpcPort = "KvTransfer__GrpcPort";

    /// <summary>Kestrel's ports (the .NET container images' own variable, 8080 in them); the service reads its HTTP port from it when <see cref="HttpPort"/> is unset.</summary>
    public const string HttpPorts = "ASPNETCORE_HTTP_PORTS";

    /// <summary>Engine HTTP port: with a KV-events Service, a pod's engine id is <c>&lt;pod IP&gt;:&lt;this port&gt;</c>, as the router dials it.</summary>
    public const string KvEventsEnginePort = "KvTransfer__KvEvents__EnginePort";

    /// <summary>The <paramref name="i"/>th headless Service whose pods publish vLLM KV events, <c>dns:///&lt;service&gt;:&lt;port&gt;</c>.</summary>
    public static string KvEventsService(int i) => $"KvTransfer__KvEvents__Services__{i}";

    /// <summary>The <paramref name="i"/>th engine's id (its <c>host:port</c> as the router dials it) among the KV-event publishers.</summary>
    public static string KvEventsPublisherEngineId(int i) => $"KvTransfer__KvEvents__Publishers__{i}__EngineId";

    /// <summary>The <paramref name="i"/>th engine's KV-event publisher, <c>tcp://host:port</c>.</summary>
    public static string KvEventsPublisherEndpoint(int i) => $"KvTransfer__KvEvents__Publishers__{i}__Endpoint";
}
