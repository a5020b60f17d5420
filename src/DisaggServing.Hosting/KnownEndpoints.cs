namespace Aspire.Hosting.ApplicationModel;

/// <summary>Endpoint names and the configuration keys (environment variables) the services read their ports from.</summary>
public static class KnownEndpoints
{
    /// <summary>HTTP endpoint of every service (OpenAI/vLLM API, health, metrics).</summary>
    public const string Http = "http";

    /// <summary>A worker's KV side channel (gRPC over h2c).</summary>
    public const string Kv = "kv";

    /// <summary>A vLLM engine's KV-event publisher (ZMQ over TCP).</summary>
    public const string KvEvents = "kv-events";

    /// <summary>A LeaderWorkerSet group leader's rendezvous port (vLLM's <c>--master-port</c>), where the other ranks join.</summary>
    public const string Dist = "dist";

    /// <summary>The KV-transfer service's gRPC endpoint (h2c).</summary>
    public const string Grpc = "grpc";
}
