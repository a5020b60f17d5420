using DisaggServing.Protocol.KvTransfer;
using DisaggServing.Worker.Configuration;
using DisaggServing.Worker.Runtime;
using DisaggServing.Worker.Hosting;
using Grpc.Core;

namespace DisaggServing.Worker.ControlPlane;

/// <summary>
/// Keeps this engine in the KV-transfer service's registry: registers once the ports are bound, heartbeats with
/// its load at the interval the service asks for, re-registers (and resyncs its KV events) when the service has
/// dropped it, deregisters on shutdown. An unreachable service never stops serving: it is retried with backoff.
/// </summary>
public sealed class KvTransferRegistration(
    WorkerSettings settings,
    WorkerEndpoints endpoints,
    KvTransferConnection connection,
    EngineHost engine,
    KvEventPublisher events,
    IHostApplicationLifetime lifetime,
    ILogger<KvTransferRegistration> logger) : BackgroundService
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan DefaultHeartbeat = TimeSpan.FromSeconds(2);
    private volatile bool _registered;
    // Set before the first Register call: a stop that cancels the reply must still deregister.
    private volatile bool _registrationSent;

    public bool IsRegistered => _registered;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!await WhenStarted(stoppingToken).ConfigureAwait(false))
            return;
        var backoff = new Backoff(TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(10));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var interval = await RegisterAsync(stoppingToken).ConfigureAwait(false);
                backoff.Reset();
                await HeartbeatUntilDroppedAsync(interval, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (RpcException e)
            {
                _registered = false;
                var wait = backoff.Next();
                logger.LogWarning("KV-transfer service at {Url} unreachable ({Status}); retrying in {Wait}", settings.KvTransferUrl, e.StatusCode, wait);
                await Task.Delay(wait, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (!_registrationSent)
            return;
        try
        {
            await connection.Registry.DeregisterAsync(new DeregisterRequest { EngineId = settings.EngineId },
                deadline: DateTime.UtcNow + TimeSpan.FromSeconds(2), cancellationToken: cancellationToken).ConfigureAwait(false);
            _registered = false;
        }
        catch (RpcException e)
        {
            logger.LogWarning("Deregistering from the KV-transfer service failed ({Status}); it will drop this engine when heartbeats stop", e.StatusCode);
        }
    }

    /// <summary>What the registry is told about this engine.</summary>
    public EngineInfo Describe()
    {
        var info = new EngineInfo
        {
            EngineId = settings.EngineId,
            Role = settings.RoleName,
            Model = settings.ModelId,
            Node = settings.Node,
            TpSize = settings.Tp,
            HttpAddress = endpoints.HttpAddress,
            KvHost = endpoints.AdvertisedHost,
            KvPort = endpoints.KvPort,
            BlockSize = settings.BlockSize,
        };
        info.GpuIndices.AddRange(settings.GpuIndices);
        return info;
    }

    private async Task<TimeSpan> RegisterAsync(CancellationToken cancellationToken)
    {
        _registrationSent = true;
        var reply = await connection.Registry.RegisterAsync(new RegisterEngineRequest { Engine = Describe() },
            deadline: DateTime.UtcNow + CallTimeout, cancellationToken: cancellationToken).ConfigureAwait(false);
        _registered = true;
        // The registry's KV index for this engine starts empty (or stale): send the whole cache again.
        events.OnRegistered();
        var interval = reply.HeartbeatIntervalSeconds > 0 ? TimeSpan.FromSeconds(reply.HeartbeatIntervalSeconds) : DefaultHeartbeat;
        logger.LogInformation("Registered {EngineId} with the KV-transfer service at {Url}; heartbeat every {Interval}", settings.EngineId, settings.KvTransferUrl, interval);
        return interval;
    }

    private async Task HeartbeatUntilDroppedAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            var s = engine.Snapshot();
            try
            {
                await connection.Registry.HeartbeatAsync(new HeartbeatRequest
                {
                    EngineId = settings.EngineId,
                    Load = new EngineLoad
                    {
                        Waiting = s.Waiting + s.WaitingForRemoteKv,
                        Running = s.Running,
                        KvUsage = s.KvCacheUsage,
                        OpenLeases = s.LeasesOpen,
                    },
                }, deadline: DateTime.UtcNow + CallTimeout, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
            {
                logger.LogWarning("The KV-transfer service dropped {EngineId}; registering again", settings.EngineId);
                _registered = false;
                return;
            }
        }
    }

    private async Task<bool> WhenStarted(CancellationToken stoppingToken)
    {
        // Ports bound to 0 are known only once the server has started.
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var onStarted = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        using var onStopping = stoppingToken.Register(() => started.TrySetCanceled(stoppingToken));
        try
        {
            await started.Task.ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
