using DisaggServing.Topology;

namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// The parent resource of a pool of worker replicas (<c>prefill-0</c>, <c>prefill-1</c>, … are its children in
/// the dashboard). It runs nothing itself; it carries the topology pool it was made from and its replicas.
/// </summary>
/// <param name="name">Resource name: the pool's name.</param>
/// <param name="pool">The topology pool.</param>
public sealed class WorkerPoolResource(string name, TopologyPool pool) : Resource(name)
{
    /// <summary>The topology pool the replicas run.</summary>
    public TopologyPool Pool { get; } = pool;

    /// <summary>What the replicas do.</summary>
    public PoolRole Role => Pool.Role;

    /// <summary>
    /// The replica resources, in replica order: Worker projects, or <see cref="VllmEngineResource"/> executables when
    /// <c>Topology:Local:Engine</c> is <c>Vllm</c>.
    /// </summary>
    public List<IResourceWithEndpoints> Replicas { get; } = [];
}
