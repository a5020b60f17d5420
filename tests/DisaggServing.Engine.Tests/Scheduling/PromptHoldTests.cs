using DisaggServing.Engine.Scheduling;

namespace DisaggServing.Engine.Tests.Scheduling;

/// <summary>TensorRT-LLM's attention-DP balance: new prompts wait until every rank has one, a timeout, or an idle rank.</summary>
public class PromptHoldTests
{
    private static Scheduler Make(int ranks = 4, int timeout = 3) =>
        new(new SchedulerConfig
        {
            NumGpuBlocks = 4096, MaxNumBatchedTokens = 8192, MaxNumSeqs = 64, ContextHoldRanks = ranks, ContextHoldTimeoutSteps = timeout,
        });

    // Four requests that decode for a long while, one per rank, already past their prompts.
    private static TimeSpan StartDecodes(Scheduler s, int count = 4)
    {
        var now = TimeSpan.Zero;
        for (var i = 0; i < count; i++) s.Add(TestRequests.Make($"d{i}", 32, 1000));
        s.Step(ref now); // fewer running than ranks: released at once
        Assert.Equal(count, s.NumRunning);
        return now;
    }

    [Fact]
    public void A_lone_new_prompt_waits_until_the_timeout_releases_it()
    {
        var s = Make(timeout: 3);
        var now = StartDecodes(s);
        s.Add(TestRequests.Make("p", 64, 4));
        // The step that admitted the decodes released prompts (fewer running than ranks) and so reset the count.
        var (first, _) = s.Step(ref now);
        Assert.Equal(4, first.Sequences.Count);
        var (second, _) = s.Step(ref now);
        Assert.Equal(4, second.Sequences.Count);
        var (third, _) = s.Step(ref now);
        Assert.Equal(5, third.Sequences.Count); // the third held step reaches the timeout of 3
        Assert.Equal(5, s.NumRunning);
    }

    [Fact]
    public void Prompts_for_every_rank_go_at_once()
    {
        var s = Make(timeout: 50);
        var now = StartDecodes(s);
        for (var i = 0; i < 4; i++) s.Add(TestRequests.Make($"p{i}", 64, 4));
        var (batch, _) = s.Step(ref now);
        Assert.Equal(8, batch.Sequences.Count);
        Assert.Equal(0, s.NumWaiting);
    }

    [Fact]
    public void A_rank_without_a_decode_takes_its_prompt_at_once()
    {
        var s = Make(timeout: 50);
        var now = StartDecodes(s, count: 3); // one rank idle
        s.Add(TestRequests.Make("p", 64, 4));
        var (batch, _) = s.Step(ref now);
        Assert.Equal(4, batch.Sequences.Count);
        Assert.Equal(0, s.NumWaiting);
    }

    [Fact]
    public void Without_a_hold_a_new_prompt_joins_the_next_step()
    {
        var s = Make(ranks: 0);
        var now = StartDecodes(s);
        s.Add(TestRequests.Make("p", 64, 4));
        var (batch, _) = s.Step(ref now);
        Assert.Equal(5, batch.Sequences.Count);
    }

    [Fact]
    public void A_hold_needs_a_timeout()
    {
        var config = new SchedulerConfig { NumGpuBlocks = 16, ContextHoldRanks = 4 };
        var error = Assert.Throws<ArgumentException>(config.Validate);
        Assert.Contains("ContextHoldTimeoutSteps", error.Message);
    }
}
