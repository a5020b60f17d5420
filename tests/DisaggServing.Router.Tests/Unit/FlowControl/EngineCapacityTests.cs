using DisaggServing.Router.Endpoints;
using DisaggServing.Router.FlowControl;
using DisaggServing.Scheduling;

namespace DisaggServing.Router.Tests.Unit.FlowControl;

public class EngineCapacityTests
{
    private static readonly string[] Decode = ["http://10.0.0.1:8000", "http://10.0.0.2:8000", "http://10.0.0.3:8000"];

    [Fact]
    public void The_default_limit_is_routable_decode_engines_times_the_per_engine_concurrency()
    {
        var catalog = new EndpointCatalog(["http://10.0.0.9:8000"], Decode);
        var capacity = new EngineCapacity(catalog, new FlowControlOptions { PerEngineConcurrency = 8 });
        Assert.Equal(new DispatchCapacity(24, 3, false), capacity.Read());

        catalog.Decode.Snapshot[0].Health = EndpointHealth.Unhealthy;
        Assert.Equal(new DispatchCapacity(16, 2, false), capacity.Read());

        // Every probe failing (as when engines are too busy to answer it) counts them all, as the health filter does.
        foreach (var engine in catalog.Decode.Snapshot) engine.Health = EndpointHealth.Unhealthy;
        Assert.Equal(new DispatchCapacity(24, 3, false), capacity.Read());
    }

    [Fact]
    public void A_configured_limit_wins_and_no_routable_engine_leaves_the_gate_open()
    {
        var catalog = new EndpointCatalog([], Decode);
        Assert.Equal(5, new EngineCapacity(catalog, new FlowControlOptions { MaxConcurrency = 5 }).Read().Limit);
        Assert.Equal(DispatchCapacity.Open, new EngineCapacity(new EndpointCatalog([], []), new FlowControlOptions()).Read());
    }

    [Fact]
    public void The_pool_is_saturated_only_when_every_routable_engine_is_at_a_threshold()
    {
        var catalog = new EndpointCatalog([], Decode);
        var capacity = new EngineCapacity(catalog, new FlowControlOptions { QueueDepthThreshold = 5, KvCacheThreshold = 0.8 });
        var engines = catalog.Decode.Snapshot;
        engines[0].Load = new EndpointLoad(Waiting: 5, Running: 10, KvUsage: 0.1);
        engines[1].Load = new EndpointLoad(Waiting: 0, Running: 10, KvUsage: 0.8);
        Assert.False(capacity.Read().Saturated);

        engines[2].Health = EndpointHealth.Unhealthy;
        Assert.True(capacity.Read().Saturated);

        var ignoring = new EngineCapacity(catalog, new FlowControlOptions { QueueDepthThreshold = 0, KvCacheThreshold = 0 });
        Assert.False(ignoring.Read().Saturated);
    }
}
