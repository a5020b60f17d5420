using DisaggServing.Protocol;
using DisaggServing.Protocol.OpenAi;
using DisaggServing.Worker.Api;
using DisaggServing.Worker.Configuration;
using DisaggServing.Worker.Runtime;

namespace DisaggServing.Worker.Hosting;

/// <summary>
/// Graceful drain on SIGTERM (any host stop): from the moment the host starts stopping, /health fails (readiness first)
/// and new generation requests get a 503 marked <see cref="HeaderNames.Draining"/> that the router retries elsewhere at
/// once; what is running finishes and open leases are pulled, within <c>Worker:DrainSeconds</c>; leases still open then
/// are released. The wait runs in the host's <em>stopping</em> phase (<see cref="IHostedLifecycleService.StoppingAsync"/>),
/// before any service stops — the web server too, which keeps answering (503s, /health, the KV side channel) — so the
/// engine and the KV-transfer registration deregister and stop only once the drain is over; the process exits 0.
/// </summary>
public sealed partial class WorkerDrain(
    EngineHost engine, WorkerSettings settings, IHostApplicationLifetime lifetime, ILogger<WorkerDrain> logger) : IHostedLifecycleService
{
    /// <summary>The error code of the 503 a draining worker gives new requests.</summary>
    public const string DrainingCode = "engine_draining";

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);
    private int _inFlight;
    private CancellationTokenRegistration _onStopping;

    /// <summary>True once the host began to stop.</summary>
    public bool IsDraining { get; private set; }

    /// <summary>Generation requests the API is serving now.</summary>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _onStopping = lifetime.ApplicationStopping.Register(() => IsDraining = true);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        IsDraining = true;
        await _onStopping.DisposeAsync().ConfigureAwait(false);
        var start = TimeProvider.System.GetTimestamp();
        var s = engine.Snapshot();
        LogDraining(logger, settings.EngineId, InFlight, s.LeasesOpen, settings.DrainGrace.TotalSeconds);
        while (!cancellationToken.IsCancellationRequested && TimeProvider.System.GetElapsedTime(start) < settings.DrainGrace)
        {
            s = engine.Snapshot();
            if (InFlight == 0 && s.Running + s.Waiting + s.WaitingForRemoteKv == 0 && s.LeasesOpen == 0) break;
            try { await Task.Delay(Poll, cancellationToken).ConfigureAwait(false); }
            catch (OperationCanceledException) { break; }
        }
        var released = engine.ReleaseAllLeases();
        LogDrained(logger, settings.EngineId, InFlight, released, TimeProvider.System.GetElapsedTime(start).TotalSeconds);
    }

    /// <summary>
    /// The API's gate: while draining, a new /v1/completions or /v1/chat/completions gets the draining 503; otherwise
    /// it is counted in flight until it ends. Everything else (health, metrics, admin, the KV side channel) passes.
    /// </summary>
    public async Task GateAsync(HttpContext context, RequestDelegate next)
    {
        if (!HttpMethods.IsPost(context.Request.Method) || !context.Request.Path.StartsWithSegments("/v1", StringComparison.Ordinal))
        {
            await next(context).ConfigureAwait(false);
            return;
        }
        Interlocked.Increment(ref _inFlight);
        try
        {
            if (IsDraining)
            {
                context.Response.Headers[HeaderNames.Draining] = "1";
                context.Response.Headers.RetryAfter = "1";
                await ApiResponses.WriteErrorAsync(context.Response, StatusCodes.Status503ServiceUnavailable,
                    ErrorResponse.Server($"The engine {settings.EngineId} is draining (shutting down); send the request to another engine.", DrainingCode))
                    .ConfigureAwait(false);
                return;
            }
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Draining {EngineId}: {InFlight} requests in flight, {Leases} leases open; up to {Grace} s")]
    private static partial void LogDraining(ILogger logger, string engineId, int inFlight, int leases, double grace);

    [LoggerMessage(Level = LogLevel.Information, Message = "Drained {EngineId}: {InFlight} requests left, {Released} leases released, after {Seconds:F1} s")]
    private static partial void LogDrained(ILogger logger, string engineId, int inFlight, int released, double seconds);
}
