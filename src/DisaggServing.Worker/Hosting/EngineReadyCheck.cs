using DisaggServing.Worker.Runtime;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DisaggServing.Worker.Hosting;

/// <summary>/health is ready once the engine loop runs (vLLM's /health answers only when the engine core is up).</summary>
public sealed class EngineReadyCheck(EngineHost engine) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(engine.IsRunning ? HealthCheckResult.Healthy("Engine loop running.") : HealthCheckResult.Unhealthy("Engine loop not running."));
}
