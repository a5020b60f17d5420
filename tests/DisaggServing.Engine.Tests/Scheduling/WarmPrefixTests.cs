using DisaggServing.Engine.Scheduling;

namespace DisaggServing.Engine.Tests.Scheduling;

// A prompt an earlier run left in the prefix cache (bench_serving's warm-up, or a smaller run before on the same server).
public class WarmPrefixTests
{
    [Fact]
    public void A_prompt_cached_by_an_earlier_run_computes_only_its_last_token_at_admission()
    {
        var s = new Scheduler(TestRequests.Config() with { MaxNumBatchedTokens = 64, MaxNumSeqs = 8 });
        var now = TimeSpan.Zero;
        s.Add(new EngineRequest("warm", 40, 3) { WarmPrefixTokens = 40 });
        s.Add(new EngineRequest("cold", 40, 3));

        var batch = s.Schedule(now);
        Assert.Equal([("warm", 1), ("cold", 40)], batch.Sequences.Select(q => (q.Request.Id, q.NewTokens)));
        var warm = batch.Sequences[0].Request;
        Assert.Equal((39, 39), (warm.NumCachedTokens, warm.NumComputedTokens));
        s.CompleteStep(now);
        // Both now decode, each with its whole prompt's KV.
        batch = s.Schedule(now);
        Assert.All(batch.Sequences, q => Assert.True(q.IsDecode));
    }

    [Fact]
    public void A_partly_cached_prompt_computes_the_rest_and_a_negative_count_is_refused()
    {
        var s = new Scheduler(TestRequests.Config() with { MaxNumBatchedTokens = 64, MaxNumSeqs = 8 });
        s.Add(new EngineRequest("part", 50, 2) { WarmPrefixTokens = 20 });
        var seq = Assert.Single(s.Schedule(TimeSpan.Zero).Sequences);
        Assert.Equal((30, 20), (seq.NewTokens, seq.Request.NumCachedTokens));
        Assert.Throws<ArgumentOutOfRangeException>(() => new EngineRequest("bad", 10, 1) { WarmPrefixTokens = -1 });
    }
}
