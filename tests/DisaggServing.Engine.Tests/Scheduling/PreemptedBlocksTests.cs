using DisaggServing.Engine.Scheduling;

namespace DisaggServing.Engine.Tests.Scheduling;

public class PreemptedBlocksTests
{
    private static Scheduler Make(bool tracksBlockIds, bool caching = true) =>
        new(new SchedulerConfig
        {
            NumGpuBlocks = 8,
            MaxNumBatchedTokens = 64,
            MaxNumSeqs = 4,
            EnablePrefixCaching = caching,
            TracksBlockIds = tracksBlockIds,
        });

    // Two requests of 3 blocks' prompt, each growing to 5 blocks, over 8 blocks: b is preempted once a needs its 5th
    // block, with its 3-block prompt and first output tokens computed; when a finishes, b comes back.
    private static (EngineRequest B, ScheduledSequence Readmitted, int ComputedAtPreemption) RunUntilReadmitted(Scheduler s)
    {
        var now = TimeSpan.Zero;
        var a = new EngineRequest("a", 48, 30, now);
        var b = new EngineRequest("b", 48, 30, now);
        s.Add(a);
        s.Add(b);
        var computed = -1;
        for (var step = 0; step < 200; step++)
        {
            var batch = s.Schedule(now);
            if (batch.Preempted.Count > 0)
                Assert.Equal([b], batch.Preempted);
            if (computed >= 0 && batch.Sequences.FirstOrDefault(q => q.Request == b) is { Request: not null } back)
                return (b, back, computed);
            now += TimeSpan.FromMilliseconds(10);
            var bComputed = b.NumComputedTokens;
            s.CompleteStep(now);
            if (b.Status == EngineRequestStatus.Waiting && computed < 0)
                computed = bComputed + 1; // the step that preempted b had completed b's last token
        }
        throw new Xunit.Sdk.XunitException("b was never preempted and admitted again");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_preempted_request_without_hashes_takes_back_its_computed_blocks_that_were_not_evicted(bool tracksBlockIds)
    {
        var (b, back, _) = RunUntilReadmitted(Make(tracksBlockIds));

        // a's finish freed its 5 blocks behind b's, so nothing evicted b's: it recomputes only its last block (a full
        // one too when its tokens end on a block boundary: one token must be computed to sample from).
        Assert.Equal(1, b.NumPreemptions);
        Assert.InRange(back.NewTokens, 1, 16);
        Assert.True(back.ContextTokens >= 48, $"b took back {back.ContextTokens} tokens, less than its prompt");
        Assert.Equal(b.NumTokens - back.NewTokens, back.ContextTokens);
        Assert.Equal(0, back.ContextTokens % 16);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Without_prefix_caching_a_preempted_request_recomputes_its_whole_prompt_and_outputs(bool tracksBlockIds)
    {
        var (b, back, _) = RunUntilReadmitted(Make(tracksBlockIds, caching: false));

        Assert.Equal(0, back.ContextTokens);
        Assert.Equal(b.NumTokens, back.NewTokens);
    }

    [Fact]
    public void Blocks_taken_by_other_requests_are_lost_from_the_tail_of_the_preempted_prefix()
    {
        var pool = new KvCacheManager(10, blockSize: 16, enablePrefixCaching: true, events: null, tracksIds: false);
        var preempted = new KvBlockTable();
        Assert.True(pool.TryAllocateSlots(preempted, 16 * 6));
        var other = new KvBlockTable();
        Assert.True(pool.TryAllocateSlots(other, 16 * 3));

        pool.FreePreempted(preempted, computedBlocks: 5); // 6 blocks queued behind 1 free one, 5 of them computed
        Assert.Equal(5, pool.RetainedBlocks(preempted));
        Assert.True(pool.TryAllocateSlots(other, 16 * 5)); // 2 more: the free one, then the uncomputed 6th block
        Assert.Equal(5, pool.RetainedBlocks(preempted));
        Assert.True(pool.TryAllocateSlots(other, 16 * 6)); // 1 more: the prefix's last block (its 5th)
        Assert.Equal(4, pool.RetainedBlocks(preempted));

        Assert.False(pool.TryReclaimSlots(preempted, 3, 16 * 4 + 1)); // 5 blocks: one more than is free
        Assert.True(pool.TryReclaimSlots(preempted, 3, 16 * 3 + 1)); // its first 3 back, and 1 new one
        Assert.Equal(4, preempted.Count);
        Assert.Equal(0, pool.RetainedBlocks(preempted));
        Assert.Equal(0, pool.FreeBlocks);
    }
}
