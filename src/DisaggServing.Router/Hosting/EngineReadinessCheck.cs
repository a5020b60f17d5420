using DisaggServing.Router.Endpoints;
using DisaggServing.Scheduling;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DisaggServing.Router.Hosting;

/// <summary>Router readiness: unhealthy while no decode engine is known, degraded while none passes its health probe.</summary>
public sealed class EngineReadinessCheck(EndpointCatalog catalog) : IHealthCheck
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var decode = catalog.Decode.Snapshot;
        if (decode.Length == 0)
            return Task.FromResult(HealthCheckResult.Unhealthy("No decode engine is configured or registered."));
        foreach (var endpoint in decode)
            if (endpoint.Health != EndpointHealth.Unhealthy)
                return Task.FromResult(HealthCheckResult.Healthy($"{decode.Length} decode and {catalog.Prefill.Snapshot.Length} prefill engines."));
        return Task.FromResult(HealthCheckResult.Degraded("Every decode engine fails its health probe."));
    }
}
