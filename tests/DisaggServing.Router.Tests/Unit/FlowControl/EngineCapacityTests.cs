using DisaggServing.Router.Endpoints;
using DisaggServing.Router.FlowControl;
using Microsoft.AspNetCore.Http;
using DisaggServing.Router.Requests;

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

public class FlowTicketReaderTests
{
    private static readonly ManualTime Time = new();

    private static HttpRequest Request(params (string Name, string Value)[] headers)
    {
        var context = new DefaultHttpContext();
        foreach (var (name, value) in headers) context.Request.Headers[name] = value;
        return context.Request;
    }

    [Fact]
    public void The_tenant_is_a_digest_of_the_api_key_never_the_key_and_anonymous_without_one()
    {
        var options = new FlowControlOptions();
        var one = FlowTicketReader.Read(Request(("Authorization", "Bearer secret-one")), options, 1, Time).Tenant;
        var two = FlowTicketReader.Read(Request(("Authorization", "Bearer secret-two")), options, 1, Time).Tenant;
        Assert.NotEqual(one, two);
        Assert.DoesNotContain("secret", one);
        Assert.Equal(one, FlowTicketReader.Read(Request(("Authorization", "bearer  secret-one ")), options, 1, Time).Tenant);
        Assert.Equal(FlowTicketReader.Anonymous, FlowTicketReader.Read(Request(), options, 1, Time).Tenant);
    }

    [Fact]
    public void A_configured_tenant_header_wins_over_the_key()
    {
        var options = new FlowControlOptions { TenantHeader = "x-gateway-inference-fairness-id" };
        var ticket = FlowTicketReader.Read(
            Request(("Authorization", "Bearer k"), ("x-gateway-inference-fairness-id", "team-a")), options, 1, Time);
        Assert.Equal("tenant:team-a", ticket.Tenant);
    }

    [Fact]
    public void Priority_and_deadline_come_from_their_headers()
    {
        var ticket = FlowTicketReader.Read(Request(("x-request-priority", "-10"), ("x-request-deadline-ms", "1500")), new FlowControlOptions(), 42, Time);
        Assert.Equal(-10, ticket.Priority);
        Assert.Equal(42, ticket.Bytes);
        Assert.Equal(Time.GetTimestamp() + TimeSpan.FromMilliseconds(1500).Ticks, ticket.Deadline);
        var plain = FlowTicketReader.Read(Request(), new FlowControlOptions(), 1, Time);
        Assert.Equal(0, plain.Priority);
        Assert.Null(plain.Deadline);
    }

    [Theory]
    [InlineData("x-request-priority", "high")]
    [InlineData("x-request-priority", "1001")]
    [InlineData("x-request-priority", "1.5")]
    [InlineData("x-request-deadline-ms", "0")]
    [InlineData("x-request-deadline-ms", "-5")]
    [InlineData("x-request-deadline-ms", "soon")]
    public void A_malformed_header_is_a_400_naming_it(string header, string value)
    {
        var error = Assert.Throws<RouterException>(() => FlowTicketReader.Read(Request((header, value)), new FlowControlOptions(), 1, Time));
        Assert.Equal(400, error.Status);
        Assert.Equal(header, error.Error.Error.Param);
        Assert.Contains(header, error.Message);
    }
}
