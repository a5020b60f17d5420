using DisaggServing.Scheduling.Configuration;
using DisaggServing.Scheduling.Plugins;
using DisaggServing.Scheduling.Plugins.MaxScore;

namespace DisaggServing.Scheduling.Tests;

public class PdProfileHandlerTests
{
    private static PdProfileHandler Handler(int threshold, RoutingProfiles? routing = null)
    {
        var registry = BuiltInPlugins.CreateRegistry();
        routing ??= RoutingProfiles.PrefixAware;
        return new PdProfileHandler(
            registry.Build(routing.Decode, new SchedulingOptions(), TimeProvider.System),
            registry.Build(routing.Prefill, new SchedulingOptions(), TimeProvider.System),
            new PdDecider(threshold));
    }

    [Fact]
    public void The_decode_engine_is_picked_first_then_the_decision_then_a_prefill_engine()
    {
        TestCandidate[] decode = [Sched.Endpoint(2), Sched.Endpoint(3, "decode-1")];
        TestCandidate[] prefill = [Sched.Endpoint(1)];
        var handler = Handler(64);

        var uncached = handler.Schedule(Sched.Context(100), decode, prefill);
        Assert.Equal((DecisionReason.Uncached, RouteNames.Pd), (uncached.Reason, uncached.Route));
        Assert.Same(prefill[0], uncached.Prefill);

        var context = Sched.Context(100);
        Assert.True(handler.NeedsPrefixMatches(context, mayDisaggregate: true));
        context.PrefixMatches = new Dictionary<string, int> { ["decode-1"] = 5 };
        var cached = handler.Schedule(context, decode, prefill);
        Assert.Same(decode[1], cached.Decode); // the prefix-cache scorer prefers the engine holding 80 of 100 tokens
        Assert.Equal((DecisionReason.CachedPrefix, RouteNames.DecodeOnly), (cached.Reason, cached.Route));

        var shortPrompt = handler.Schedule(Sched.Context(63), decode, prefill);
        Assert.Equal((DecisionReason.ShortPrompt, null), (shortPrompt.Reason, shortPrompt.Prefill));
    }

    [Fact]
    public void Without_engines_of_a_role_the_reason_says_which_is_missing()
    {
        var handler = Handler(0);
        Assert.Equal(DecisionReason.NoDecode, handler.Schedule(Sched.Context(10), Array.Empty<TestCandidate>(), [Sched.Endpoint(1)]).Reason);
        Assert.Equal(DecisionReason.NoPrefill, handler.Schedule(Sched.Context(10), [Sched.Endpoint(2)], Array.Empty<TestCandidate>()).Reason);
        var sick = Sched.Endpoint(2);
        sick.Health = EndpointHealth.Unhealthy;
        Assert.Equal(DecisionReason.NoHealthyDecode, handler.Schedule(Sched.Context(10), [sick], [Sched.Endpoint(1)]).Reason);
        var sickPrefill = Sched.Endpoint(1);
        sickPrefill.Health = EndpointHealth.Unhealthy;
        Assert.Equal(DecisionReason.NoHealthyPrefill, handler.Schedule(Sched.Context(10), [Sched.Endpoint(2)], [sickPrefill]).Reason);
    }

    [Fact]
    public void By_revision_only_engines_of_a_known_revision_serve_and_prefill_pairs_with_its_decode_revision()
    {
        var oldDecode = Sched.Endpoint(2);
        var newDecode = Sched.Endpoint(3);
        var oldPrefill = Sched.Endpoint(4);
        var newPrefill = Sched.Endpoint(5);
        (oldDecode.Revision, newDecode.Revision, oldPrefill.Revision, newPrefill.Revision) = ("r1", null, "r1", "r2");
        var handler = new PdProfileHandler(
            new SchedulingProfile("decode", [], [], new MaxScorePicker()), new SchedulingProfile("prefill", [], [], new MaxScorePicker()), new PdDecider(0));
        for (var i = 0; i < 4; i++)
        {
            var result = handler.Schedule(Sched.Context(10), [oldDecode, newDecode], [oldPrefill, newPrefill], routesByRevision: true);
            Assert.Same(oldDecode, result.Decode);
            Assert.Same(oldPrefill, result.Prefill);
        }
    }

    [Fact]
    public void A_reused_context_carries_no_prefix_matches_from_the_request_before()
    {
        var context = new SchedulingContext(blockSize: 16);
        context.Reset("a", 100, [1, 2, 3]);
        context.PrefixMatches = new Dictionary<string, int> { ["d"] = 3 };
        Assert.Equal(48, context.CachedTokens(Sched.Endpoint(1, "d")));
        context.Reset("b", 100, []);
        Assert.Null(context.PrefixMatches);
        Assert.False(context.HasBlockHashes);
        Assert.Equal((100, 100), (context.PromptTokens, context.KnownPromptTokens));
        Assert.False(Handler(64).NeedsPrefixMatches(context, mayDisaggregate: true));
        Assert.Throws<InvalidOperationException>(() => Sched.Context(10).Reset("c", 1, []));
    }
}
