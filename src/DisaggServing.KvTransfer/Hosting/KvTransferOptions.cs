namespace DisaggServing.KvTransfer.Hosting;

/// <summary>
/// Configuration section <c>KvTransfer</c> (environment: <c>KvTransfer__GrpcPort</c> and so on). See the project
/// README for the full reference.
/// </summary>
public sealed class KvTransferOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "KvTransfer";

    /// <summary>gRPC port when none is configured (gRPC's customary port).</summary>
    public const int DefaultGrpcPort = 50051;

    /// <summary>HTTP port when neither <see cref="HttpPort"/> nor ASPNETCORE_URLS / HTTP_PORTS say one (as .NET containers).</summary>
    public const int DefaultHttpPort = 8080;

    /// <summary><c>KvTransfer:GrpcPort</c>: the h2c (HTTP/2 only) gRPC port; 0 = any free port.</summary>
    public int? GrpcPort { get; set; }

    /// <summary>
    /// <c>KvTransfer:HttpPort</c>: the HTTP/1.1 port of /health, /alive, /metrics, /engines and /stats; 0 = any free
    /// port. Unset: the port of the first http:// URL in ASPNETCORE_URLS, else the first of ASPNETCORE_HTTP_PORTS,
    /// else <see cref="DefaultHttpPort"/>.
    /// </summary>
    public int? HttpPort { get; set; }

    /// <summary>
    /// <c>KvTransfer:ListenAddress</c>: the IP address (or <c>localhost</c>, or <c>*</c> for all) both listeners bind.
    /// Unset: the host of the ASPNETCORE_URLS entry the HTTP port came from, else all addresses.
    /// </summary>
    public string? ListenAddress { get; set; }

    /// <summary><c>KvTransfer:HeartbeatIntervalSeconds</c>: the interval engines are told to heartbeat at (default 2).</summary>
    public double HeartbeatIntervalSeconds { get; set; } = 2;

    /// <summary><c>KvTransfer:ExpirySeconds</c>: silence after which an engine is dropped, with its blocks (default 6).</summary>
    public double ExpirySeconds { get; set; } = 6;

    /// <summary><c>KvTransfer:SweepIntervalSeconds</c>: how often expired engines are swept out (default 1).</summary>
    public double SweepIntervalSeconds { get; set; } = 1;

    /// <summary><c>KvTransfer:MaxMessageBytes</c>: largest gRPC message accepted, e.g. a full-cache KV snapshot (default 32 MiB).</summary>
    public int MaxMessageBytes { get; set; } = 32 * 1024 * 1024;
}
