using DisaggServing.Worker.Connector;

namespace DisaggServing.Worker.Tests.Support;

/// <summary>An <see cref="IRemoteKvLoader"/> that answers every load with <see cref="Next"/> and records the plans.</summary>
public sealed class ScriptedRemoteKvLoader : IRemoteKvLoader
{
    public RemoteKvLoad Next { get; set; } = RemoteKvLoad.Loaded;

    public List<KvPullPlan> Plans { get; } = [];

    public Task<RemoteKvLoad> LoadAsync(KvPullPlan plan, CancellationToken cancellationToken)
    {
        lock (Plans)
            Plans.Add(plan);
        return Task.FromResult(Next);
    }
}
