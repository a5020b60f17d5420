using DisaggServing.Hosting.Gpus;
using DisaggServing.Topology;

namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// One replica of a pool run as a real <c>vllm serve</c> process on this machine's GPUs
/// (<c>Topology:Local:Engine=Vllm</c>): its pool, the GPUs it was given and its NIXL side-channel ports.
/// </summary>
/// <param name="name">Resource name: the replica's, e.g. <c>prefill-0</c>.</param>
/// <param name="command">The program that starts vLLM (a full path).</param>
/// <param name="workingDirectory">Where it runs.</param>
/// <param name="pool">The topology pool.</param>
/// <param name="gpus">Its GPUs, in CUDA_VISIBLE_DEVICES order.</param>
/// <param name="sideChannelPort">VLLM_NIXL_SIDE_CHANNEL_PORT: vLLM listens on this port plus each TP rank.</param>
public sealed class VllmEngineResource(string name, string command, string workingDirectory, TopologyPool pool, IReadOnlyList<LocalGpu> gpus, int sideChannelPort)
    : ExecutableResource(name, command, workingDirectory)
{
    /// <summary>The topology pool the replica belongs to.</summary>
    public TopologyPool Pool { get; } = pool;

    /// <summary>Its GPUs.</summary>
    public IReadOnlyList<LocalGpu> Gpus { get; } = gpus;

    /// <summary>First NIXL side-channel port; the replica uses <see cref="TopologyPool.TensorParallel"/> ports from it.</summary>
    public int SideChannelPort { get; } = sideChannelPort;

    /// <summary>vLLM's OpenAI API, <c>/health</c> and <c>/metrics</c>.</summary>
    public EndpointReference HttpEndpoint => new(this, KnownEndpoints.Http);

    /// <summary>Where vLLM publishes its KV cache events (ZMQ PUB).</summary>
    public EndpointReference KvEventsEndpoint => new(this, KnownEndpoints.KvEvents);
}
