using DisaggServing.Router.Endpoints;
using DisaggServing.Scheduling.Configuration;
using DisaggServing.Scheduling;
using DisaggServing.Scheduling.Plugins;
using Microsoft.Extensions.Configuration;

namespace DisaggServing.Router.Tests.Unit;

public class EndpointSchedulerTests
{
    private const string P0 = "http://127.0.0.1:5101";
    private const string P1 = "http://127.0.0.1:5102";
    private const string D0 = "http://127.0.0.1:5201";
    private const string D1 = "http://127.0.0.1:5202";

    private static EndpointScheduler Handler(EndpointCatalog catalog, IPrefixIndex index, int threshold)
    {
        var registry = BuiltInPlugins.CreateRegistry();
        var empty = new ConfigurationBuilder().Build();
        var options = new SchedulingOptions();
        return new EndpointScheduler(
            registry.Build(SchedulingConfigReader.Read(empty, "decode"), options, TimeProvider.System),
            registry.Build(SchedulingConfigReader.Read(empty, "prefill"), options, TimeProvider.System),
            new PdDecider(threshold), index, catalog);
    }

    [Fact]
    public async Task A_long_uncached_prompt_goes_pd()
    {
        var catalog = new EndpointCatalog([P0, P1], [D0, D1]);
        var result = await Handler(catalog, new NullPrefixIndex(), 64).ScheduleAsync(Sched.Context(100), default);
        Assert.Equal(RouteNames.Pd, result.Route);
        Assert.Equal(DecisionReason.Uncached, result.Reason);
        Assert.Contains(result.Decode, catalog.Decode.Snapshot);
        Assert.Contains(result.Prefill, catalog.Prefill.Snapshot);
    }

    [Fact]
    public async Task A_short_prompt_goes_decode_only_without_asking_the_index()
    {
        var index = new FakePrefixIndex();
        var catalog = new EndpointCatalog([P0], [D0]);
        var handler = new EndpointScheduler(
            new SchedulingProfile("decode", [], [], new DisaggServing.Scheduling.Plugins.MaxScore.MaxScorePicker()),
            new SchedulingProfile("prefill", [], [], new DisaggServing.Scheduling.Plugins.MaxScore.MaxScorePicker()),
            new PdDecider(64), index, catalog);
        var result = await handler.ScheduleAsync(Sched.Context(63), default);
        Assert.Equal(RouteNames.DecodeOnly, result.Route);
        Assert.Equal(DecisionReason.ShortPrompt, result.Reason);
        Assert.Equal(0, index.Lookups);
    }

    [Fact]
    public async Task A_prefix_cached_on_the_decode_engine_sends_the_request_decode_only()
    {
        var catalog = new EndpointCatalog([P0], [D0, D1]);
        catalog.Decode.Snapshot[1].EngineId = "decode-1";
        var index = new FakePrefixIndex(new() { ["decode-1"] = 5 });
        var result = await Handler(catalog, index, 64).ScheduleAsync(Sched.Context(100), default);
        Assert.Equal(1, index.Lookups);
        Assert.Equal("decode-1", result.Decode!.EngineId); // prefix-cache scorer prefers it
        Assert.Equal(RouteNames.DecodeOnly, result.Route); // 100 - 80 cached = 20 < 64
        Assert.Equal(DecisionReason.CachedPrefix, result.Reason);
    }

    [Fact]
    public async Task Without_prefill_engines_every_request_is_decode_only_and_without_decode_none_is_served()
    {
        var noPrefill = await Handler(new EndpointCatalog([], [D0]), new NullPrefixIndex(), 0).ScheduleAsync(Sched.Context(500), default);
        Assert.Equal(RouteNames.DecodeOnly, noPrefill.Route);
        Assert.Equal(DecisionReason.NoPrefill, noPrefill.Reason);

        var noDecode = await Handler(new EndpointCatalog([P0], []), new NullPrefixIndex(), 0).ScheduleAsync(Sched.Context(500), default);
        Assert.Null(noDecode.Decode);
        Assert.Equal(DecisionReason.NoDecode, noDecode.Reason);

        var catalog = new EndpointCatalog([P0], [D0]);
        catalog.Decode.Snapshot[0].Health = EndpointHealth.Unhealthy;
        var unhealthy = await Handler(catalog, new NullPrefixIndex(), 0).ScheduleAsync(Sched.Context(500), default);
        Assert.Null(unhealthy.Decode);
        Assert.Equal(DecisionReason.NoHealthyDecode, unhealthy.Reason);
    }

    [Fact]
    public async Task Unhealthy_prefill_engines_leave_the_request_decode_only()
    {
        var catalog = new EndpointCatalog([P0], [D0]);
        catalog.Prefill.Snapshot[0].Health = EndpointHealth.Unhealthy;
        var result = await Handler(catalog, new NullPrefixIndex(), 0).ScheduleAsync(Sched.Context(500), default);
        Assert.Equal(RouteNames.DecodeOnly, result.Route);
        Assert.Equal(DecisionReason.NoHealthyPrefill, result.Reason);
    }

    [Fact]
    public async Task An_engine_in_both_pools_is_not_its_own_prefill()
    {
        var catalog = new EndpointCatalog([D0], [D0]);
        Assert.Same(catalog.Prefill.Snapshot[0], catalog.Decode.Snapshot[0]);
        var result = await Handler(catalog, new NullPrefixIndex(), 0).ScheduleAsync(Sched.Context(500), default);
        Assert.Equal(RouteNames.DecodeOnly, result.Route);
    }

    [Fact]
    public void Retries_never_pick_the_failed_engine()
    {
        var catalog = new EndpointCatalog([P0, P1], [D0, D1]);
        var handler = Handler(catalog, new NullPrefixIndex(), 0);
        var context = Sched.Context(100);
        var p0 = catalog.Prefill.Snapshot[0];
        var d0 = catalog.Decode.Snapshot[0];
        for (var i = 0; i < 5; i++)
        {
            Assert.Same(catalog.Prefill.Snapshot[1], handler.PickPrefillRetry(context, p0, d0));
            Assert.Same(catalog.Decode.Snapshot[1], handler.PickDecodeRetry(context, d0));
        }
        var single = new EndpointCatalog([P0], [D0]);
        Assert.Null(Handler(single, new NullPrefixIndex(), 0).PickPrefillRetry(context, single.Prefill.Snapshot[0], single.Decode.Snapshot[0]));
    }
}
