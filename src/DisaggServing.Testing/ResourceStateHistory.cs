using Aspire.Hosting.ApplicationModel;

namespace DisaggServing.Testing;

/// <summary>
/// Every state each resource has passed through since the app started (<c>Starting</c>, <c>Loading model</c>,
/// <c>Running</c>, …), in order: a state held only briefly is still seen, after the fact.
/// </summary>
internal sealed class ResourceStateHistory : IAsyncDisposable
{
    private readonly Dictionary<string, List<string>> states = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource stop = new();
    private readonly Task watcher;

    public ResourceStateHistory(ResourceNotificationService notifications) =>
        watcher = Task.Run(() => WatchAsync(notifications, stop.Token));

    /// <summary>The states <paramref name="resource"/> has been in, oldest first, each change once.</summary>
    public IReadOnlyList<string> Of(string resource)
    {
        lock (states) return states.TryGetValue(resource, out var seen) ? [.. seen] : [];
    }

    private async Task WatchAsync(ResourceNotificationService notifications, CancellationToken token)
    {
        try
        {
            await foreach (var e in notifications.WatchAsync(token).ConfigureAwait(false))
            {
                if (e.Snapshot.State?.Text is not { Length: > 0 } state) continue;
                lock (states)
                {
                    if (!states.TryGetValue(e.Resource.Name, out var seen)) states[e.Resource.Name] = seen = [];
                    if (seen.Count == 0 || seen[^1] != state) seen.Add(state);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync().ConfigureAwait(false);
        await watcher.ConfigureAwait(false);
        stop.Dispose();
    }
}
