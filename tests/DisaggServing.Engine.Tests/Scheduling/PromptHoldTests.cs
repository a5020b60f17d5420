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

    // Decodes d0..d(count − 1) of promptTokens each, placed on the ranks in turn; those finishEarly picks end after two
    // tokens, two steps in, where this returns.
    private static TimeSpan DecodesLosingSome(Scheduler s, int count, int promptTokens, Func<int, bool> finishEarly)
    {
        var now = TimeSpan.Zero;
        for (var i = 0; i < count; i++) s.Add(TestRequests.Make($"d{i}", promptTokens, finishEarly(i) ? 2 : 1000));
        s.Step(ref now);
        s.Step(ref now);
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
    public void Requests_are_placed_on_the_ranks_in_turn_and_a_newcomer_on_the_rank_that_lost_one()
    {
        var s = Make(timeout: 50);
        // d0..d7 land on ranks 0,1,2,3,0,1,2,3; d0 and d4 (rank 0) finish after two tokens.
        DecodesLosingSome(s, 8, 32, i => i % 4 == 0);
        Assert.Equal(6, s.NumRunning);
        // Two newcomers both go to rank 0, which holds one request to the others' two.
        s.Add(TestRequests.Make("p0", 64, 4));
        s.Add(TestRequests.Make("p1", 64, 4));
        Assert.True(s.TryGetRequest("p0", out var p0));
        Assert.True(s.TryGetRequest("p1", out var p1));
        Assert.Equal((0, 0), (p0.HoldRank, p1.HoldRank));
    }

    [Fact]
    public void Prompts_that_all_wait_on_some_ranks_are_held_until_every_rank_has_one()
    {
        var s = Make(timeout: 50);
        // Three decodes a rank (d0..d11 on ranks 0,1,2,3,...); ranks 0 and 1 each lose two after two tokens.
        var now = DecodesLosingSome(s, 12, 32, i => i is 0 or 1 or 4 or 5);
        Assert.Equal(8, s.NumRunning);
        // Four newcomers, as many as ranks, but all on ranks 0 and 1: held (one shared count would release them).
        for (var i = 0; i < 4; i++) s.Add(TestRequests.Make($"p{i}", 64, 4));
        var (held, _) = s.Step(ref now);
        Assert.Equal(8, held.Sequences.Count);
        Assert.Equal(4, s.NumWaiting);
        // One for rank 2 and one for rank 3 (the two with the least prompt tokens now) complete the set: all six go.
        s.Add(TestRequests.Make("q0", 64, 4));
        s.Add(TestRequests.Make("q1", 64, 4));
        var (released, _) = s.Step(ref now);
        Assert.Equal(14, released.Sequences.Count);
        Assert.Equal(0, s.NumWaiting);
    }

    [Fact]
    public void Each_rank_admits_only_its_own_prompts_within_its_own_share_of_the_budget()
    {
        // Two ranks of 200 tokens each, whole prompts (TensorRT-LLM's per-rank max_num_tokens).
        var s = new Scheduler(new SchedulerConfig
        {
            NumGpuBlocks = 4096, MaxNumBatchedTokens = 400, MaxNumSeqs = 64, EnableChunkedPrefill = false, PromptRanks = 2,
            ContextHoldRanks = 2, ContextHoldTimeoutSteps = 50,
        });
        // d0..d5 on ranks 0,1,0,1,0,1; d0 and d2 finish after two tokens, leaving rank 0 one decode and rank 1 three.
        var now = DecodesLosingSome(s, 6, 16, i => i is 0 or 2);
        Assert.Equal(4, s.NumRunning);
        // p0 and p1 go to rank 0 (fewer requests), q to rank 1 (fewer prompt tokens): every rank has one, so they go.
        s.Add(TestRequests.Make("p0", 150, 4));
        s.Add(TestRequests.Make("p1", 150, 4));
        s.Add(TestRequests.Make("q", 150, 4));
        s.Step(ref now);
        // Rank 0's room (199) takes p0 but not p1 too; rank 1 takes q, which a shared room would have left behind p1.
        Assert.True(s.TryGetRequest("q", out var q));
        Assert.True(s.TryGetRequest("p1", out var p1));
        Assert.Equal(EngineRequestStatus.Running, q.Status);
        Assert.Equal(EngineRequestStatus.Waiting, p1.Status);
        Assert.Equal(1, s.NumWaiting);
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
