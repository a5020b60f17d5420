using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Aspire.Hosting;

/// <summary>A vLLM replica is healthy when <c>/health</c> answers and <c>/v1/models</c> lists its model (see <see cref="VllmProbe"/>).</summary>
internal sealed class VllmReadinessCheck(VllmEngineResource engine) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var (ready, detail) = await VllmProbe.ProbeAsync(engine, cancellationToken).ConfigureAwait(false);
        return ready ? HealthCheckResult.Healthy(detail) : HealthCheckResult.Unhealthy(detail);
    }
}
