using Aspire.Hosting.ApplicationModel;

namespace DisaggServing.Testing;

/// <summary>
/// The last lines each resource logged, kept from the moment the app starts (Aspire's <see cref="ResourceLoggerService"/>
/// streams them), so a failure message can quote what the failing resource said last.
/// </summary>
internal sealed class ResourceLogTail : IAsyncDisposable
{
    private readonly Dictionary<string, Queue<string>> lines = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource stop = new();
    private readonly List<Task> watchers = [];
    private readonly int keep;

    public ResourceLogTail(ResourceLoggerService logs, IEnumerable<IResource> resources, int keep)
    {
        this.keep = keep;
        foreach (var resource in resources)
        {
            lines[resource.Name] = new Queue<string>();
            watchers.Add(Task.Run(() => WatchAsync(logs, resource, stop.Token)));
        }
    }

    /// <summary>Up to the kept number of lines <paramref name="resource"/> logged last, oldest first.</summary>
    public IReadOnlyList<string> Of(string resource)
    {
        if (!lines.TryGetValue(resource, out var queue)) return [];
        lock (queue) return [.. queue];
    }

    /// <summary>The lines of <paramref name="resource"/> as an indented block for a message, or a note that it logged nothing.</summary>
    public string Quote(string resource)
    {
        var tail = Of(resource);
        return tail.Count == 0
            ? $"  {resource} logged nothing."
            : $"  last {tail.Count} log lines of {resource}:\n" + string.Join('\n', tail.Select(l => "    | " + l));
    }

    private async Task WatchAsync(ResourceLoggerService logs, IResource resource, CancellationToken token)
    {
        var queue = lines[resource.Name];
        try
        {
            // By resource, not by name: Aspire keys logs by each instance's resolved name (router-x1y2z3).
            await foreach (var batch in logs.WatchAsync(resource).WithCancellation(token).ConfigureAwait(false))
            {
                lock (queue)
                {
                    foreach (var line in batch)
                    {
                        queue.Enqueue(line.IsErrorMessage ? "stderr: " + line.Content : line.Content);
                        while (queue.Count > keep) queue.Dequeue();
                    }
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
        await Task.WhenAll(watchers).ConfigureAwait(false);
        stop.Dispose();
    }
}
