namespace DisaggServing.Topology;

/// <summary>How KV moves between prefill and decode engines, and the KV-transfer control-plane service.</summary>
public sealed class KvTransferSettings
{
    /// <summary>Deploy the KV-transfer service (engine registry, KV block index, leases).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>KV-transfer service image, repository and tag (<c>dotnet publish src/DisaggServing.KvTransfer -t:PublishContainer</c> builds it); <see cref="EksSettings.Registry"/> is put in front.</summary>
    public string Image { get; set; } = "disaggserving/kv-transfer:0.1.0";

    /// <summary>KV-transfer service replicas.</summary>
    public int Replicas { get; set; } = 1;

    /// <summary>gRPC port of the KV-transfer service.</summary>
    public int GrpcPort { get; set; } = 50051;

    /// <summary>HTTP port (health and metrics) of the KV-transfer service.</summary>
    public int HttpPort { get; set; } = 8080;

    /// <summary>
    /// Port each vLLM engine publishes its KV cache events on (<c>--kv-events-config</c>, ZMQ PUB, vLLM's default 5557);
    /// the KV-transfer service subscribes to it to feed the KV index the router's prefix-cache scorer reads.
    /// </summary>
    public int KvEventsPort { get; set; } = 5557;

    /// <summary>NIXL transport plugin; LIBFABRIC is the one that uses EFA.</summary>
    public NixlBackend NixlBackend { get; set; } = NixlBackend.Libfabric;

    /// <summary>First NIXL side-channel port (VLLM_NIXL_SIDE_CHANNEL_PORT); an engine uses one port per TP rank from it.</summary>
    public int SideChannelPortBase { get; set; } = 5600;

    /// <summary>
    /// Seconds a prefill engine keeps KV blocks for a decode engine that never pulls them: the workers' <c>Worker__LeaseSeconds</c>
    /// (leases live in the engines, not in the KV-transfer service).
    /// </summary>
    public int LeaseSeconds { get; set; } = 30;
}
