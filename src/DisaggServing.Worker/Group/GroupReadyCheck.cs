using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace DisaggServing.Worker.Group;

/// <summary>/health is ready only with the whole group: vLLM's leader serves nothing until every pipeline stage joined.</summary>
public sealed class GroupReadyCheck(IGroupRank rank) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(rank.IsReady ? HealthCheckResult.Healthy(rank.Describe()) : HealthCheckResult.Unhealthy(rank.Describe()));
}
