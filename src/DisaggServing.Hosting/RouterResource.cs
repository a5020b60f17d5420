using DisaggServing.Topology;

namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// The OpenAI-compatible router of a topology, a .NET project run by Aspire. Its environment is
/// <see cref="RouterEnvironment"/>; <c>WithPrefill</c>, <c>WithDecode</c> and <c>WithKvTransfer</c> add to it.
/// </summary>
/// <param name="name">Resource name (<c>router</c> by default).</param>
/// <param name="topology">The topology it routes for.</param>
public sealed class RouterResource(string name, TopologySpec topology) : ProjectResource(name)
{
    /// <summary>The topology it routes for.</summary>
    public TopologySpec Topology { get; } = topology;

    /// <summary>The OpenAI API (<c>/v1</c>), <c>/health</c> and <c>/metrics</c>.</summary>
    public EndpointReference HttpEndpoint => new(this, KnownEndpoints.Http);

    /// <summary>Prefill URLs given so far (<c>Router__Prefill__i</c>): pools added one after another get consecutive indices.</summary>
    public int PrefillTargets { get; internal set; }

    /// <summary>Decode URLs given so far (<c>Router__Decode__i</c>).</summary>
    public int DecodeTargets { get; internal set; }

    /// <summary>Whether a vLLM replica is among its targets (then it cannot release abandoned leases itself).</summary>
    public bool RoutesToVllm { get; internal set; }
}
