using DisaggServing.Router.Endpoints;
using DisaggServing.Scheduling;

namespace DisaggServing.Router.FlowControl;

/// <summary>
/// The decode pool's room, from what the router knows of each engine: its health (healthy engines count, or all when
/// none is), and its load as last scraped or
/// heartbeated (waiting requests, KV-cache usage). The limit is <c>MaxConcurrency</c>, or routable engines ×
/// <c>PerEngineConcurrency</c>; saturation is llm-d's: every routable engine at its waiting-queue or KV threshold.
/// </summary>
public sealed class EngineCapacity(EndpointCatalog catalog, FlowControlOptions options) : IDispatchCapacity
{
    /// <inheritdoc />
    public DispatchCapacity Read()
    {
        var (engines, saturated) = Count(catalog.Decode.Snapshot, healthyOnly: true);
        // As the health filter does: when every engine fails its probe (an overloaded engine answers slowly), all count.
        if (engines == 0) (engines, saturated) = Count(catalog.Decode.Snapshot, healthyOnly: false);
        if (engines == 0)
            return options.MaxConcurrency > 0 ? new DispatchCapacity(options.MaxConcurrency, 0, false) : DispatchCapacity.Open;
        var limit = options.MaxConcurrency > 0
            ? options.MaxConcurrency
            : (int)Math.Min(int.MaxValue, (long)engines * options.PerEngineConcurrency);
        return new DispatchCapacity(limit, engines, saturated == engines);
    }

    private (int Engines, int Saturated) Count(EngineEndpoint[] pool, bool healthyOnly)
    {
        var engines = 0;
        var saturated = 0;
        var routesByRevision = catalog.RoutesByRevision;
        foreach (var endpoint in pool)
        {
            if ((healthyOnly && endpoint.Health == EndpointHealth.Unhealthy) || (routesByRevision && endpoint.Revision is null)) continue;
            engines++;
            if (IsSaturated(endpoint.Load)) saturated++;
        }
        return (engines, saturated);
    }

    private bool IsSaturated(EndpointLoad load) =>
        (options.QueueDepthThreshold > 0 && load.Waiting >= options.QueueDepthThreshold)
        || (options.KvCacheThreshold > 0 && load.KvUsage >= options.KvCacheThreshold);
}
