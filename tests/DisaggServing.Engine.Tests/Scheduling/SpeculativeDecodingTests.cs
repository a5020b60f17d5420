using DisaggServing.Engine.Scheduling;

namespace DisaggServing.Engine.Tests.Scheduling;

public class SpeculativeDecodingTests
{
    private static Scheduler Make(int drafts, double acceptance, int blocks = 64, int budget = 8192, int seqs = 256) =>
        new(new SchedulerConfig
        {
            NumGpuBlocks = blocks,
            MaxNumBatchedTokens = budget,
            MaxNumSeqs = seqs,
            SpeculativeTokens = drafts,
            AcceptanceLength = acceptance,
        });

    [Fact]
    public void A_decode_verifies_its_drafts_with_slots_for_them_and_gains_the_acceptance_length_on_average()
    {
        var s = Make(drafts: 3, acceptance: 2.5);
        var r = TestRequests.Make("a", 40, 101);
        s.Add(r);
        var now = TimeSpan.Zero;

        var (prefill, first) = s.Step(ref now);
        Assert.Equal((40, false), (prefill.Sequences[0].NewTokens, prefill.Sequences[0].IsDecode));
        Assert.Single(first.Emitted);

        // ⌊credit + 2.5⌋: 2, 3, 2, 3, … tokens a step, each listed once per token it gained.
        var gains = new List<int>();
        while (r.Status == EngineRequestStatus.Running)
        {
            var (batch, result) = s.Step(ref now);
            var seq = Assert.Single(batch.Sequences);
            Assert.True(seq.IsDecode);
            // Its next token and up to three drafts, never past its last output token.
            Assert.Equal(Math.Min(4, r.MaxOutputTokens - (r.NumOutputTokens - result.Emitted.Count)), seq.NewTokens);
            gains.Add(result.Emitted.Count);
        }
        Assert.Equal([2, 3, 2, 3], gains.Take(4));
        Assert.Equal(101, r.NumOutputTokens);
        Assert.Equal(100, gains.Sum());
        Assert.InRange(gains.Count, 40, 41); // 100 tokens at 2.5 a step
        Assert.Equal(0, s.KvCache.UsedBlocks);
    }

    [Fact]
    public void Accepted_tokens_are_computed_and_the_rejected_drafts_slots_are_reused()
    {
        var s = Make(drafts: 4, acceptance: 1);
        var r = TestRequests.Make("a", 16, 20);
        s.Add(r);
        var now = TimeSpan.Zero;
        s.Step(ref now);
        var (batch, result) = s.Step(ref now);
        // Nothing accepted: the decode computed its token, verified four drafts, and gained one token.
        Assert.Equal(5, batch.Sequences[0].NewTokens);
        Assert.Single(result.Emitted);
        Assert.Equal(17, r.NumComputedTokens);
        Assert.Equal(2, r.NumOutputTokens);
        // Slots for the token and its drafts: 16 + 5 = 21 tokens, two blocks of 16.
        Assert.Equal(2, r.Blocks.Count);
        s.RunToIdle(ref now);
        Assert.Equal(20, r.NumOutputTokens);
        Assert.Equal(0, s.KvCache.UsedBlocks);
    }

    [Fact]
    public void Drafts_count_against_the_token_budget_and_a_short_budget_verifies_fewer()
    {
        var s = Make(drafts: 3, acceptance: 4, budget: 6, seqs: 2);
        var a = TestRequests.Make("a", 4, 30);
        var b = TestRequests.Make("b", 2, 30);
        s.Add(a);
        s.Add(b);
        var now = TimeSpan.Zero;
        s.Step(ref now); // both prompts: 6 tokens
        var (batch, result) = s.Step(ref now);
        // a takes its token and three drafts; b gets what is left: its token and one draft.
        Assert.Equal([4, 2], batch.Sequences.Select(q => q.NewTokens));
        Assert.Equal(4 + 2, result.Emitted.Count);
        Assert.Equal(5, a.NumOutputTokens);
        Assert.Equal(3, b.NumOutputTokens);
    }

    [Fact]
    public void A_preempted_speculative_request_recomputes_and_finishes_with_every_token()
    {
        // Room for one request's KV at a time: the second preempts or waits, and nothing leaks.
        var s = Make(drafts: 2, acceptance: 2, blocks: 6);
        var a = TestRequests.Make("a", 30, 40, seed: 1);
        var b = TestRequests.Make("b", 30, 40, seed: 2);
        s.Add(a);
        s.Add(b);
        var now = TimeSpan.Zero;
        s.RunToIdle(ref now);
        Assert.Equal((40, 40), (a.NumOutputTokens, b.NumOutputTokens));
        Assert.Equal(0, s.KvCache.UsedBlocks);
    }

    [Fact]
    public void Speculation_rules_out_the_decode_cohort_and_rejects_an_acceptance_beyond_its_drafts()
    {
        // Everything else a cohort needs is there: a counting pool, mixed steps, on-demand admission, host indices.
        var s = new Scheduler(new SchedulerConfig { NumGpuBlocks = 64, TracksBlockIds = false, SpeculativeTokens = 2, AcceptanceLength = 2 })
        {
            ReportsHostIndicesOnly = true,
        };
        var error = Assert.Throws<InvalidOperationException>(() => s.UsesCohort = true);
        Assert.Contains("one token a step", error.Message);
        var bad = Assert.Throws<ArgumentException>(() => Make(drafts: 2, acceptance: 3.5));
        Assert.Contains("AcceptanceLength", bad.Message);
    }
}
