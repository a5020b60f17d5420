using DisaggServing.Engine.Scheduling;

namespace DisaggServing.Engine.Tests.Scheduling;

// SGLang without --enable-mixed-chunk: a step is a prefill batch or a decode batch, prefill first.
public class UnmixedPrefillTests
{
    private static Scheduler Make(bool mixed, int budget = 64, int seqs = 8) =>
        new(TestRequests.Config() with { MaxNumBatchedTokens = budget, MaxNumSeqs = seqs, MixPrefillWithDecode = mixed });

    [Fact]
    public void A_newcomer_prefills_alone_while_the_running_decodes_pause()
    {
        var s = Make(mixed: false);
        var now = TimeSpan.Zero;
        s.Add(TestRequests.Make("a", 10, 10, seed: 1));
        s.Step(ref now);
        s.Add(TestRequests.Make("b", 40, 10, seed: 2));

        var batch = s.Schedule(now);
        var prefill = Assert.Single(batch.Sequences);
        Assert.Equal(("b", 40, false), (prefill.Request.Id, prefill.NewTokens, prefill.IsDecode));
        s.CompleteStep(now);

        // Nobody waits: both decode together.
        batch = s.Schedule(now);
        Assert.Equal(["a", "b"], batch.Sequences.Select(q => q.Request.Id));
        Assert.All(batch.Sequences, q => Assert.True(q.IsDecode));
        s.CompleteStep(now);
    }

    [Fact]
    public void A_chunked_prompt_continues_before_any_decode_and_newcomers_fill_its_budget()
    {
        var s = Make(mixed: false);
        var now = TimeSpan.Zero;
        s.Add(TestRequests.Make("a", 10, 10, seed: 1));
        s.Step(ref now);
        s.Add(TestRequests.Make("b", 100, 10, seed: 2));
        s.Add(TestRequests.Make("c", 20, 10, seed: 3));

        var (first, _) = s.Step(ref now);
        Assert.Equal([("b", 64)], first.Sequences.Select(q => (q.Request.Id, q.NewTokens)));
        var (second, _) = s.Step(ref now);
        Assert.Equal([("b", 36), ("c", 20)], second.Sequences.Select(q => (q.Request.Id, q.NewTokens)));
        var (third, _) = s.Step(ref now);
        Assert.Equal(["a", "b", "c"], third.Sequences.Select(q => q.Request.Id));
        Assert.Equal(3, third.Shape.DecodeSequences);
    }

    [Fact]
    public void Mixed_steps_stay_the_default_and_put_decodes_and_chunks_together()
    {
        Assert.True(new SchedulerConfig { NumGpuBlocks = 1 }.MixPrefillWithDecode);
        var s = Make(mixed: true);
        var now = TimeSpan.Zero;
        s.Add(TestRequests.Make("a", 10, 10, seed: 1));
        s.Step(ref now);
        s.Add(TestRequests.Make("b", 40, 10, seed: 2));
        var batch = s.Schedule(now);
        Assert.Equal([("a", 1), ("b", 40)], batch.Sequences.Select(q => (q.Request.Id, q.NewTokens)));
        s.CompleteStep(now);
    }

    [Fact]
    public void Unmixed_decode_steps_admit_nobody_when_the_queue_head_cannot_fit()
    {
        var s = Make(mixed: false, seqs: 1);
        var now = TimeSpan.Zero;
        s.Add(TestRequests.Make("a", 10, 3, seed: 1));
        s.Add(TestRequests.Make("b", 10, 3, seed: 2));
        s.Step(ref now); // a's prefill; b waits for a free sequence slot
        var (decode, _) = s.Step(ref now);
        var only = Assert.Single(decode.Sequences);
        Assert.True(only.IsDecode);
        Assert.Equal(1, s.NumWaiting);
        s.RunToIdle(ref now);
        Assert.False(s.HasUnfinishedRequests);
    }
}
