using System.Collections.Concurrent;
using System.Globalization;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Aspire.Hosting;

/// <summary>
/// LeaderWorkerSet's <c>RecreateGroupOnPodRestart</c>, locally: when any rank of a group stops (crashes, is killed, or is
/// stopped), every other rank is stopped and the whole group started again, through Aspire's own stop and start
/// commands, so the dashboard shows each rank go down and come back. Repeated failures back off as a pod's restarts do.
/// </summary>
internal sealed class LwsGroupSupervisor(
    DistributedApplicationModel model,
    ResourceNotificationService notifications,
    ResourceCommandService commands,
    ResourceLoggerService resourceLogs,
    IHostApplicationLifetime lifetime,
    ILogger<LwsGroupSupervisor> logger) : BackgroundService
{
    private static readonly TimeSpan StopTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, GroupState> _groups = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var byRank = new Dictionary<IResource, GroupState>();
        foreach (var group in model.Resources.SelectMany(r => r.Annotations.OfType<LwsGroupAnnotation>()))
        {
            var state = _groups.GetOrAdd(group.Name, _ => new GroupState(group));
            foreach (var rank in group.Ranks) byRank[rank] = state;
        }

        if (byRank.Count == 0) return;
        foreach (var group in _groups.Values)
            resourceLogs.GetLogger(group.Group.Ranks[0]).LogInformation("LeaderWorkerSet group {Group}: {Ranks}; RecreateGroupOnPodRestart", group.Group.Name, string.Join(", ", group.Group.Ranks.Select(r => r.Name)));
        try
        {
            await foreach (var update in notifications.WatchAsync(stoppingToken).ConfigureAwait(false))
            {
                if (!byRank.TryGetValue(update.Resource, out var group)) continue;
                var text = update.Snapshot.State?.Text;
                if (ReferenceEquals(update.Resource, group.Group.Ranks[0]) && update.Snapshot.HealthStatus == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy)
                    group.Served();
                if (text is null || !KnownResourceStates.TerminalStates.Contains(text)) continue;
                // The app is going down, or this is the late news of a process the group has since replaced.
                if (lifetime.ApplicationStopping.IsCancellationRequested || group.IsOlder(update.Snapshot)) continue;
                if (!group.TryBegin()) continue;
                var exitCode = update.Snapshot.ExitCode;
                _ = Task.Run(() => RecreateAsync(group, update.Resource, exitCode, stoppingToken), CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task RecreateAsync(GroupState group, IResource cause, int? exitCode, CancellationToken stoppingToken)
    {
        var leader = group.Group.Ranks[0];
        var log = resourceLogs.GetLogger(leader);
        try
        {
            var attempt = group.Attempts;
            var wait = attempt <= 1 ? TimeSpan.Zero : TimeSpan.FromTicks(Math.Min(FirstBackoff.Ticks << Math.Min(attempt - 2, 10), MaxBackoff.Ticks));
            var why = exitCode is { } code ? string.Create(CultureInfo.InvariantCulture, $"{cause.Name} stopped (exit code {code})") : $"{cause.Name} stopped";
            var message = string.Create(CultureInfo.InvariantCulture,
                $"LeaderWorkerSet group {group.Group.Name}: {why}; RecreateGroupOnPodRestart restarts all {group.Group.Ranks.Count} ranks{(wait > TimeSpan.Zero ? $" in {wait.TotalSeconds:0} s (restart {attempt} without serving)" : "")}.");
            log.LogWarning("{Message}", message);
            logger.LogWarning("{Message}", message);
            if (wait > TimeSpan.Zero) await Task.Delay(wait, stoppingToken).ConfigureAwait(false);

            // Every rank down first: a restarted rank must never find a leader (or members) of the broken group.
            foreach (var rank in group.Group.Ranks.Where(r => !IsStopped(r)))
                await RunAsync(rank, KnownResourceCommands.StopCommand, stoppingToken).ConfigureAwait(false);
            using (var stopWait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
            {
                stopWait.CancelAfter(StopTimeout);
                foreach (var rank in group.Group.Ranks)
                    await notifications.WaitForResourceAsync(rank.Name, e => e.Snapshot.State?.Text is { } s && KnownResourceStates.TerminalStates.Contains(s), stopWait.Token).ConfigureAwait(false);
            }

            group.Restarting();
            foreach (var rank in group.Group.Ranks)
                await RunAsync(rank, KnownResourceCommands.StartCommand, stoppingToken).ConfigureAwait(false);
            // Until each rank is seen starting, its old terminal state is still current; only a stop after that is news.
            using (var startWait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
            {
                startWait.CancelAfter(StopTimeout);
                foreach (var rank in group.Group.Ranks)
                    await notifications.WaitForResourceAsync(rank.Name, e => e.Snapshot.State?.Text is { } s && !KnownResourceStates.TerminalStates.Contains(s), startWait.Token).ConfigureAwait(false);
            }

            log.LogInformation("LeaderWorkerSet group {Group}: all ranks started again", group.Group.Name);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested || lifetime.ApplicationStopping.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            log.LogError(e, "LeaderWorkerSet group {Group}: recreating failed", group.Group.Name);
        }
        finally
        {
            group.End();
        }
    }

    private async Task RunAsync(IResource rank, string command, CancellationToken cancellationToken)
    {
        var result = await commands.ExecuteCommandAsync(rank, command, cancellationToken).ConfigureAwait(false);
        if (!result.Success) logger.LogWarning("{Command} of {Rank} failed: {Error}", command, rank.Name, result.Message);
    }

    private bool IsStopped(IResource resource) =>
        notifications.TryGetCurrentState(resource.Name, out var current) && current.Snapshot.State?.Text is { } text && KnownResourceStates.TerminalStates.Contains(text);

    /// <summary>One group: whether it is being recreated, and how many times in a row without its leader serving in between.</summary>
    private sealed class GroupState(LwsGroupAnnotation group)
    {
        private int _busy;
        private int _attempts;
        private long _restartedAt;

        public LwsGroupAnnotation Group { get; } = group;

        public int Attempts => Volatile.Read(ref _attempts);

        public bool TryBegin()
        {
            if (Interlocked.CompareExchange(ref _busy, 1, 0) != 0) return false;
            Interlocked.Increment(ref _attempts);
            return true;
        }

        public void End() => Volatile.Write(ref _busy, 0);

        /// <summary>Called before the ranks are started again: what stopped before this moment was the old group.</summary>
        public void Restarting() => Interlocked.Exchange(ref _restartedAt, DateTime.UtcNow.Ticks);

        /// <summary>A snapshot of a process started before the group was last restarted.</summary>
        public bool IsOlder(CustomResourceSnapshot snapshot) =>
            snapshot.StartTimeStamp is { } started && started.ToUniversalTime().Ticks < Interlocked.Read(ref _restartedAt);

        public void Served()
        {
            if (Volatile.Read(ref _busy) == 0) Volatile.Write(ref _attempts, 0);
        }
    }
}
