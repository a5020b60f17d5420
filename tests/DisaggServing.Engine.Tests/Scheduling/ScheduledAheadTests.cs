using DisaggServing.Engine.Scheduling;

namespace DisaggServing.Engine.Tests.Scheduling;

// An engine that builds each step while the one before runs (vLLM's async scheduling, SGLang's and TensorRT-LLM's
// overlap schedulers) admits only what had arrived when it built the step.
public class ScheduledAheadTests
{
    private static EngineRequest Arriving(string id, double ms) => new(id, 32, 4, TimeSpan.FromMilliseconds(ms));

    [Fact]
    public void A_request_that_arrived_after_the_step_was_built_waits_for_the_next_and_nobody_overtakes_it()
    {
        var s = new Scheduler(TestRequests.Config() with { MaxNumBatchedTokens = 256, MaxNumSeqs = 8 });
        s.Add(Arriving("early", 0));
        s.Add(Arriving("late", 15));
        s.Add(Arriving("later", 5)); // queued behind "late" (FCFS), though it arrived before the cutoff

        var batch = s.Schedule(TimeSpan.FromMilliseconds(20), admitArrivedBy: TimeSpan.FromMilliseconds(10));
        Assert.Equal(["early"], batch.Sequences.Select(q => q.Request.Id));
        Assert.True(s.HeldByArrival);
        s.CompleteStep(TimeSpan.FromMilliseconds(30));

        batch = s.Schedule(TimeSpan.FromMilliseconds(30), admitArrivedBy: TimeSpan.FromMilliseconds(20));
        Assert.Equal(["early", "late", "later"], batch.Sequences.Select(q => q.Request.Id));
        Assert.False(s.HeldByArrival);
    }

    [Fact]
    public void A_step_that_would_run_nothing_but_held_requests_admits_them_at_once()
    {
        var s = new Scheduler(TestRequests.Config() with { MaxNumBatchedTokens = 256, MaxNumSeqs = 8 });
        s.Add(Arriving("late", 15));
        var batch = s.Schedule(TimeSpan.FromMilliseconds(20), admitArrivedBy: TimeSpan.FromMilliseconds(10));
        Assert.Equal(["late"], batch.Sequences.Select(q => q.Request.Id));
    }

    [Fact]
    public void Without_a_cutoff_every_waiting_request_is_admitted()
    {
        var s = new Scheduler(TestRequests.Config() with { MaxNumBatchedTokens = 256, MaxNumSeqs = 8 });
        s.Add(Arriving("a", 0));
        s.Add(Arriving("b", 15));
        Assert.Equal(2, s.Schedule(TimeSpan.FromMilliseconds(20)).Count);
        Assert.False(s.HeldByArrival);
    }
}
