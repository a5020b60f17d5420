using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Aspire.Hosting;

/// <summary>
/// Shows a vLLM replica's model load in the dashboard: from the moment its process runs until <c>/v1/models</c>
/// answers, its state is <c>Loading model</c> (with the seconds so far as a property), then <c>Running</c>; a restart
/// starts over. Health is not involved, so a load of many minutes is one steady state, not a failing health check.
/// </summary>
internal static class VllmLoadingState
{
    /// <summary>The state text while the model loads.</summary>
    public const string LoadingModel = "Loading model";

    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);

    public static IResourceBuilder<VllmEngineResource> WithModelLoadingState(this IResourceBuilder<VllmEngineResource> engine, IReadOnlyList<ResourcePropertySnapshot> properties)
    {
        engine.ApplicationBuilder.Eventing.Subscribe<BeforeStartEvent>((e, cancellationToken) =>
        {
            var notifications = e.Services.GetRequiredService<ResourceNotificationService>();
            var logger = e.Services.GetRequiredService<ResourceLoggerService>().GetLogger(engine.Resource);
            var stopping = e.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
            _ = Task.Run(() => WatchAsync(engine.Resource, notifications, logger, properties, stopping), stopping);
            return Task.CompletedTask;
        });
        return engine;
    }

    private static async Task WatchAsync(VllmEngineResource engine, ResourceNotificationService notifications, ILogger logger,
        IReadOnlyList<ResourcePropertySnapshot> properties, CancellationToken stopping)
    {
        CancellationTokenSource? loading = null;
        var loaded = new StrongBox<bool>(false); // set by the load task before it publishes Running, so that event is not taken for a new process
        try
        {
            await foreach (var update in notifications.WatchAsync(stopping).ConfigureAwait(false))
            {
                if (!ReferenceEquals(update.Resource, engine)) continue;
                var state = update.Snapshot.State?.Text;
                if (state == KnownResourceStates.Running && loading is null && !Volatile.Read(ref loaded.Value))
                {
                    // A (re)started process: its model loads from scratch.
                    loading = CancellationTokenSource.CreateLinkedTokenSource(stopping);
                    var token = loading.Token;
                    _ = Task.Run(() => LoadAsync(engine, notifications, logger, properties, () => Volatile.Write(ref loaded.Value, true), token), token);
                }
                else if (state == KnownResourceStates.Running && loading is not null && !Volatile.Read(ref loaded.Value))
                {
                    // The orchestrator reported the process again while the model loads: keep saying so.
                    await PublishLoadingAsync(notifications, engine, properties, seconds: null).ConfigureAwait(false);
                }
                else if (state is not null && state != KnownResourceStates.Running && state != LoadingModel)
                {
                    loading?.Cancel();
                    loading?.Dispose();
                    loading = null;
                    Volatile.Write(ref loaded.Value, false);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        finally
        {
            loading?.Dispose();
        }
    }

    private static async Task LoadAsync(VllmEngineResource engine, ResourceNotificationService notifications, ILogger logger,
        IReadOnlyList<ResourcePropertySnapshot> properties, Action loaded, CancellationToken cancellationToken)
    {
        var started = Stopwatch.StartNew();
        try
        {
            // The process runs, so its model is loading: say so before the first probe, which on a busy host can come
            // after a quick load has already finished and would otherwise take the replica straight to Running.
            await PublishLoadingAsync(notifications, engine, properties, 0).ConfigureAwait(false);
            while (!cancellationToken.IsCancellationRequested)
            {
                var (ready, detail) = await VllmProbe.ProbeAsync(engine, cancellationToken).ConfigureAwait(false);
                if (ready)
                {
                    var seconds = Math.Round(started.Elapsed.TotalSeconds, 1);
                    logger.LogInformation("Model loaded in {Seconds} s: {Detail}", seconds.ToString(CultureInfo.InvariantCulture), detail);
                    loaded();
                    await notifications.PublishUpdateAsync(engine, s => s with
                    {
                        State = new ResourceStateSnapshot(KnownResourceStates.Running, KnownResourceStateStyles.Success),
                        Properties = Merge(s.Properties, properties, new ResourcePropertySnapshot("disagg.model_load_seconds", seconds)),
                    }).ConfigureAwait(false);
                    return;
                }

                await PublishLoadingAsync(notifications, engine, properties, started.Elapsed.TotalSeconds).ConfigureAwait(false);
                await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private static Task PublishLoadingAsync(ResourceNotificationService notifications, VllmEngineResource engine, IReadOnlyList<ResourcePropertySnapshot> properties, double? seconds) =>
        notifications.PublishUpdateAsync(engine, s =>
        {
            if (s.State?.Text is { } text && text != KnownResourceStates.Running && text != LoadingModel) return s; // it exited meanwhile
            var extra = seconds is { } value ? new ResourcePropertySnapshot("disagg.loading_seconds", Math.Round(value)) : null;
            return s with
            {
                State = new ResourceStateSnapshot(LoadingModel, KnownResourceStateStyles.Info),
                Properties = Merge(s.Properties, properties, extra),
            };
        });

    private static ImmutableArray<ResourcePropertySnapshot> Merge(ImmutableArray<ResourcePropertySnapshot> current, IReadOnlyList<ResourcePropertySnapshot> ours, ResourcePropertySnapshot? extra)
    {
        var names = ours.Select(p => p.Name).Append(extra?.Name).Append("disagg.loading_seconds").Append("disagg.model_load_seconds").ToHashSet(StringComparer.Ordinal);
        var merged = current.Where(p => !names.Contains(p.Name)).Concat(ours);
        if (extra is not null) merged = merged.Append(extra);
        return [.. merged];
    }
}
