using DisaggServing.Scheduling;

namespace DisaggServing.Scheduling.Tests;

public class PdDeciderTests
{
    [Theory]
    [InlineData(256, 255, 0, false, DecisionReason.ShortPrompt)]
    [InlineData(256, 256, 0, true, DecisionReason.Uncached)]
    [InlineData(256, 1000, 50, false, DecisionReason.CachedPrefix)] // 1000 - 800 cached = 200 < 256
    [InlineData(256, 1000, 40, true, DecisionReason.Uncached)]      // 1000 - 640 cached = 360
    [InlineData(0, 1, 0, true, DecisionReason.Uncached)]
    public void Uncached_tokens_against_the_threshold(int threshold, int prompt, int cachedBlocks, bool pd, DecisionReason reason)
    {
        var context = Sched.Context(prompt);
        context.PrefixMatches = new Dictionary<string, int> { ["d"] = cachedBlocks };
        var decision = new PdDecider(threshold).Decide(context, Sched.Endpoint(1, "d"));
        Assert.Equal(pd, decision.Disaggregate);
        Assert.Equal(reason, decision.Reason);
        Assert.Equal(prompt, decision.PromptTokens);
    }

    [Fact]
    public void Threshold_zero_disaggregates_a_text_prompt_without_tokenizing_it()
    {
        var context = new SchedulingContext("r", Prompt.FromText("a long enough prompt"), 16);
        var decision = new PdDecider(0).Decide(context, Sched.Endpoint(1, "d"));
        Assert.True(decision.Disaggregate);
        Assert.Equal(DecisionReason.Uncached, decision.Reason);
        Assert.Equal(-1, decision.PromptTokens);
        Assert.Null(context.KnownPromptTokens);
    }

    [Fact]
    public void The_token_bound_is_never_below_the_count()
    {
        foreach (var text in new[] { "", "hello world", "héllo wörld ✓ 你好", "<|endoftext|> special", string.Concat(Enumerable.Repeat(" w17", 300)) })
        {
            var prompt = Prompt.FromText(text);
            var bound = prompt.MaxTokenCount;
            Assert.Null(prompt.KnownTokenCount);
            Assert.True(prompt.TokenCount <= bound, text);
            Assert.Equal(prompt.TokenCount, prompt.KnownTokenCount);
        }
    }

    [Fact]
    public void A_cached_prefix_on_the_decode_engine_makes_the_rest_short()
    {
        var decode = Sched.Endpoint(1, "d");
        var context = Sched.Context(1000);
        context.PrefixMatches = new Dictionary<string, int> { ["d"] = 50 };
        var decision = new PdDecider(256).Decide(context, decode);
        Assert.False(decision.Disaggregate);
        Assert.Equal(DecisionReason.CachedPrefix, decision.Reason);
        Assert.Equal(800, decision.CachedTokens);
        Assert.Equal(200, decision.UncachedTokens);
        Assert.True(new PdDecider(256).Decide(context, Sched.Endpoint(2, "other")).Disaggregate);
    }

    [Fact]
    public void The_index_is_consulted_only_when_it_can_change_the_verdict()
    {
        Assert.False(new PdDecider(256).NeedsPrefixMatches(100));
        Assert.True(new PdDecider(256).NeedsPrefixMatches(300));
        Assert.False(new PdDecider(0).NeedsPrefixMatches(300));
    }
}
