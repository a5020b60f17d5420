using DisaggServing.Scheduling.Plugins.PrefixCache;

namespace DisaggServing.Scheduling.Tests;

public class PrefixCacheScorerTests
{
    [Fact]
    public void Scores_the_fraction_of_the_prompt_each_engine_holds()
    {
        var a = Sched.Endpoint(1, "engine-a");
        var b = Sched.Endpoint(2, "engine-b");
        var unnamed = Sched.Endpoint(3);
        var context = Sched.Context(100);
        context.PrefixMatches = new Dictionary<string, int> { ["engine-a"] = 5, ["engine-b"] = 1 };
        var scores = Sched.Score(new PrefixCacheScorer(), context, [a, b, unnamed]);
        Assert.Equal([0.8, 0.16, 0], scores);
    }

    [Fact]
    public void Without_lookups_every_engine_scores_zero()
    {
        var scores = Sched.Score(new PrefixCacheScorer(), Sched.Context(100), [Sched.Endpoint(1, "a"), Sched.Endpoint(2, "b")]);
        Assert.Equal([0.0, 0.0], scores);
        Assert.True(new PrefixCacheScorer().UsesPrefixMatches);
    }

    [Fact]
    public void A_hit_is_never_more_than_the_prompt()
    {
        var context = Sched.Context(20);
        context.PrefixMatches = new Dictionary<string, int> { ["a"] = 2 };
        Assert.Equal(20, context.CachedTokens(Sched.Endpoint(1, "a")));
        Assert.Equal([1.0], Sched.Score(new PrefixCacheScorer(), context, [Sched.Endpoint(1, "a")]));
    }

    [Fact]
    public void An_engine_that_does_not_register_is_found_under_its_host_and_port()
    {
        // vLLM engines: the KV-transfer service files their KV events under host:port; the id learned from a prefill's
        // kv_transfer_params (vLLM's engine UUID) names no index entry.
        var vllm = Sched.Endpoint(8101, "6f1c3e2a-vllm-engine-uuid");
        var unnamed = Sched.Endpoint(8102);
        var other = Sched.Endpoint(8103);
        var context = Sched.Context(64);
        context.PrefixMatches = new Dictionary<string, int> { ["127.0.0.1:8101"] = 2, ["127.0.0.1:8102"] = 1 };
        Assert.Equal([0.5, 0.25, 0], Sched.Score(new PrefixCacheScorer(), context, [vllm, unnamed, other]));
    }
}
