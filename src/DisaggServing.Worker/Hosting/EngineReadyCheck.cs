using DisaggServing.Worker.Runtime;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DisaggServing.Worker.Hosting;

/// <summary>
/// /health is ready once the engine loop runs (vLLM's /health answers only when the engine core is up), and fails as
/// soon as the worker drains, so the router stops routing to it before it goes.
/// </summary>
public sealed class EngineReadyCheck(EngineHost engine, WorkerDrain drain) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(drain.IsDraining ? HealthCheckResult.Unhealthy("Draining: shutting down.")
            : engine.IsRunning ? HealthCheckResult.Healthy("Engine loop running.") : HealthCheckResult.Unhealthy("Engine loop not running."));
}
