using DisaggServing.KvTransfer.Registry;
using Microsoft.Extensions.Options;

namespace DisaggServing.KvTransfer.Hosting;

/// <summary>
/// Drops engines that missed their heartbeats past the expiry, from the registry and the KV index, every
/// <see cref="KvTransferOptions.SweepIntervalSeconds"/>, on the host's <see cref="TimeProvider"/> (a virtual clock in tests).
/// </summary>
internal sealed partial class EngineExpirySweeper(
    EngineRegistry registry, TimeProvider time, IOptions<KvTransferOptions> options, ILogger<EngineExpirySweeper> logger)
    : IHostedService, IDisposable
{
    private ITimer? _timer;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var interval = TimeSpan.FromSeconds(options.Value.SweepIntervalSeconds);
        _timer = time.CreateTimer(_ => Sweep(), null, interval, interval);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        return Task.CompletedTask;
    }

    public void Dispose() => _timer?.Dispose();

    /// <summary>One sweep; never throws (a timer callback must not).</summary>
    internal void Sweep()
    {
        try
        {
            foreach (var engineId in registry.RemoveExpired())
                LogExpired(engineId, registry.Timings.Expiry.TotalSeconds);
        }
        catch (Exception e)
        {
            LogSweepFailed(e);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Engine {EngineId} sent no heartbeat for over {ExpirySeconds} s; dropped from the registry and the KV index.")]
    private partial void LogExpired(string engineId, double expirySeconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Expiry sweep failed.")]
    private partial void LogSweepFailed(Exception exception);
}
