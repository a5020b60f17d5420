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
}
