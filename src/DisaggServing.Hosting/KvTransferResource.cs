using DisaggServing.Topology;

namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// The KV-transfer service (engine registry, KV block index, lease and transfer telemetry), a .NET project run by
/// Aspire. Its environment is <see cref="KvTransferEnvironment"/>.
/// </summary>
/// <param name="name">Resource name (<c>kvtransfer</c> by default).</param>
public sealed class KvTransferResource(string name) : ProjectResource(name)
{
    /// <summary>Health, metrics and the dashboard's HTTP views.</summary>
    public EndpointReference HttpEndpoint => new(this, KnownEndpoints.Http);

    /// <summary>Where Workers register and report, and the router looks prefixes up (gRPC over h2c).</summary>
    public EndpointReference GrpcEndpoint => new(this, KnownEndpoints.Grpc);

    /// <summary>vLLM KV-event publishers given so far (<c>KvTransfer__KvEvents__Publishers__i__*</c>).</summary>
    public int KvEventPublishers { get; internal set; }
}
