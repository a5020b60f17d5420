namespace Aspire.Hosting.ApplicationModel;

/// <summary>
/// The parent resource of a pool of worker replicas (<c>prefill-0</c>, <c>prefill-1</c>, … are its children in
/// the dashboard). It runs nothing itself; it carries the pool's settings and its replicas.
/// </summary>
public sealed class WorkerPoolResource(string name, WorkerRole role, WorkerPoolOptions options) : Resource(name)
{
    /// <summary>What the replicas do.</summary>
    public WorkerRole Role { get; } = role;

    /// <summary>The pool's settings.</summary>
    public WorkerPoolOptions Options { get; } = options;

    /// <summary>The replica project resources, in order.</summary>
    public List<IResourceBuilder<ProjectResource>> Replicas { get; } = [];
}
