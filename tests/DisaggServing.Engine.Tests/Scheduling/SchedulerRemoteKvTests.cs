using DisaggServing.Engine.Scheduling;

namespace DisaggServing.Engine.Tests.Scheduling;

public class SchedulerRemoteKvTests
{
    private static EngineRequest Decode(string id, int prompt = 40, int outputs = 3, int seed = 1) =>
        TestRequests.Make(id, prompt, outputs, seed, kind: EngineRequestKind.DecodeWithRemoteKv);

    [Fact]
    public void Admission_allocates_the_prompt_and_waits_outside_the_batch()
    {
        var s = new Scheduler(TestRequests.Config());
        var d = Decode("d");
        s.Add(d);
        var batch = s.Schedule(TimeSpan.Zero);
        Assert.True(batch.IsEmpty);
        Assert.Equal(EngineRequestStatus.WaitingForRemoteKv, d.Status);
        Assert.Equal(1, s.NumWaitingForRemoteKv);
        Assert.Equal(0, s.NumWaiting);
        Assert.Equal(0, s.NumRunning);
        Assert.Equal(3, d.Blocks.Count);
        Assert.True(s.HasUnfinishedRequests);
        Assert.True(s.Schedule(TimeSpan.Zero).IsEmpty); // stays parked
    }

    [Fact]
    public void A_successful_load_computes_the_last_prompt_token_and_decodes()
    {
        var s = new Scheduler(TestRequests.Config());
        var d = Decode("d");
        s.Add(d);
        var now = TimeSpan.Zero;
        s.Step(ref now);
        var blocks = d.Blocks.ToArray();
        Assert.True(s.CompleteRemoteKvLoad("d", success: true));
        Assert.False(s.CompleteRemoteKvLoad("d", success: true));
        Assert.Equal(39, d.NumComputedTokens);
        Assert.Equal(2, s.KvCache.CachedBlocks); // loaded full blocks are cached

        var (batch, result) = s.Step(ref now);
        var seq = Assert.Single(batch.Sequences);
        Assert.Equal((1, 39), (seq.NewTokens, seq.ContextTokens));
        Assert.Equal([d], result.Emitted);
        Assert.Equal(1, d.NumOutputTokens);
        Assert.Equal(blocks, d.Blocks.ToArray()); // computed into the blocks it was loaded into
        s.RunToIdle(ref now);
        Assert.Equal(3, d.NumOutputTokens);
        Assert.Equal(EngineFinishReason.Length, d.FinishReason);
        Assert.Equal(0, s.KvCache.UsedBlocks);
    }

    [Fact]
    public void Local_prefix_hits_are_kept_and_recomputed_from_after_a_failed_load()
    {
        var s = new Scheduler(TestRequests.Config());
        var now = TimeSpan.Zero;
        s.Add(TestRequests.Make("warm", 32, 1, seed: 1));
        s.RunToIdle(ref now);

        var d = Decode("d", prompt: 50);
        s.Add(d);
        s.Step(ref now);
        Assert.Equal(32, d.NumCachedTokens); // both blocks of the warm prompt
        Assert.Equal(4, d.Blocks.Count);

        Assert.True(s.CompleteRemoteKvLoad("d", success: false, KvLoadFailurePolicy.Recompute));
        Assert.Equal(EngineRequestStatus.Waiting, d.Status);
        var (batch, result) = s.Step(ref now);
        var seq = Assert.Single(batch.Sequences);
        Assert.Equal((18, 32), (seq.NewTokens, seq.ContextTokens));
        Assert.Equal([d], result.Emitted);
        s.RunToIdle(ref now);
        Assert.Equal(3, d.NumOutputTokens);
        Assert.Equal(0, s.KvCache.UsedBlocks);
    }

    [Fact]
    public void A_failed_load_under_the_fail_policy_finishes_with_an_error_and_frees_blocks()
    {
        var s = new Scheduler(TestRequests.Config());
        var d = Decode("d");
        s.Add(d);
        s.Schedule(TimeSpan.Zero);
        Assert.True(s.CompleteRemoteKvLoad("d", success: false, KvLoadFailurePolicy.Fail));
        Assert.Equal((EngineRequestStatus.Finished, EngineFinishReason.Error), (d.Status, d.FinishReason));
        Assert.Equal(0, s.KvCache.UsedBlocks);
        Assert.Equal(0, s.NumWaitingForRemoteKv);
        Assert.False(s.TryGetRequest("d", out _));
        Assert.False(s.CompleteRemoteKvLoad("unknown", success: true));
    }

    [Fact]
    public void Ready_requests_queue_ahead_of_new_ones_in_load_order()
    {
        var s = new Scheduler(TestRequests.Config() with { MaxNumSeqs = 1, MaxNumBatchedTokens = 64 });
        s.Add(Decode("d1", seed: 1));
        s.Add(Decode("d2", seed: 2));
        s.Schedule(TimeSpan.Zero);
        s.Add(TestRequests.Make("n", 10, 1, seed: 3));
        s.CompleteRemoteKvLoad("d1", success: true);
        s.CompleteRemoteKvLoad("d2", success: true);
        var now = TimeSpan.Zero;
        var order = new List<string>();
        while (s.HasUnfinishedRequests)
        {
            var (batch, _) = s.Step(ref now);
            foreach (var q in batch.Sequences)
                if (!order.Contains(q.Request.Id))
                    order.Add(q.Request.Id);
        }
        Assert.Equal(["d1", "d2", "n"], order);
    }

    [Fact]
    public void Abort_while_waiting_for_remote_kv_frees_the_blocks()
    {
        var s = new Scheduler(TestRequests.Config());
        var d = Decode("d");
        s.Add(d);
        s.Schedule(TimeSpan.Zero);
        Assert.True(s.Abort("d"));
        Assert.Equal(0, s.NumWaitingForRemoteKv);
        Assert.Equal(0, s.KvCache.UsedBlocks);
        Assert.False(s.CompleteRemoteKvLoad("d", success: true));
    }

    [Fact]
    public void ReserveFull_reserves_the_outputs_of_a_request_waiting_for_remote_kv()
    {
        var s = new Scheduler(TestRequests.Config(blocks: 6) with { AdmissionPolicy = AdmissionPolicy.ReserveFull });
        s.Add(Decode("d", prompt: 40, outputs: 40)); // 79 tokens: 5 blocks
        s.Add(TestRequests.Make("n", 16, 10, seed: 9)); // 25 tokens: 2 blocks
        var now = TimeSpan.Zero;
        s.Step(ref now);
        Assert.Equal(1, s.NumWaitingForRemoteKv);
        Assert.Equal(1, s.NumWaiting); // 3 free, 2 still reserved by d
        s.CompleteRemoteKvLoad("d", success: true);
        s.RunToIdle(ref now);
        Assert.Equal(0, s.NumPreemptions);
        Assert.Equal(0, s.KvCache.UsedBlocks);
    }

    [Fact]
    public void Abort_after_the_load_before_admission_frees_the_blocks()
    {
        var s = new Scheduler(TestRequests.Config());
        s.Add(Decode("d"));
        s.Schedule(TimeSpan.Zero);
        s.CompleteRemoteKvLoad("d", success: true);
        Assert.Equal(1, s.NumWaiting);
        Assert.True(s.Abort("d"));
        Assert.Equal(0, s.NumWaiting);
        Assert.Equal(0, s.KvCache.UsedBlocks);
        Assert.True(s.Schedule(TimeSpan.Zero).IsEmpty);
    }
}
