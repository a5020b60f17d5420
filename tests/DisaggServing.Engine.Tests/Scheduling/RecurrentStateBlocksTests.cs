using DisaggServing.Engine.Scheduling;

namespace DisaggServing.Engine.Tests.Scheduling;

// A hybrid model's running requests each hold blocks for their linear-attention layers' recurrent state beside their
// token slots (KvCacheManager.StateBlocksPerTable), out of the same pool.
public class RecurrentStateBlocksTests
{
    private const int Bs = 16;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_table_takes_its_state_blocks_with_its_first_slots_and_gives_them_back_with_them(bool tracksIds)
    {
        var cache = new KvCacheManager(10, Bs, enablePrefixCaching: false, events: null, tracksIds) { StateBlocksPerTable = 3 };
        var table = new KvBlockTable();
        Assert.Equal(5, cache.BlocksToAllocate(table, 20, default));
        Assert.True(cache.TryAllocateSlots(table, 20));
        Assert.Equal((2, 3, 5), (table.Count, table.StateBlocks, cache.FreeBlocks));
        // Growing into a third block takes one more; the state is taken once.
        Assert.True(cache.TryAllocateSlots(table, 33));
        Assert.Equal((3, 3, 4), (table.Count, table.StateBlocks, cache.FreeBlocks));
        // All or nothing: a second table needs its 3 state blocks beside its slots.
        var second = new KvBlockTable();
        Assert.False(cache.TryAllocateSlots(second, 17));
        Assert.Equal((0, 0, 4), (second.Count, second.StateBlocks, cache.FreeBlocks));
        Assert.True(cache.TryAllocateSlots(second, 16));
        Assert.Equal(0, cache.FreeBlocks);
        cache.Free(table);
        cache.Free(second);
        Assert.Equal((10, 0, 0), (cache.FreeBlocks, table.Count, table.StateBlocks));
    }

    private static Scheduler Make(bool tracksBlockIds, AdmissionPolicy policy, int stateBlocks, bool prefixCaching = false) =>
        new(new SchedulerConfig
        {
            NumGpuBlocks = 60,
            MaxNumBatchedTokens = 96,
            MaxNumSeqs = 8,
            AdmissionPolicy = policy,
            TracksBlockIds = tracksBlockIds,
            EnablePrefixCaching = prefixCaching,
            StateBlocksPerRequest = stateBlocks,
        });

    // With prefix caching on, a preempted request's blocks wait in the free queue behind its state blocks, for it to take back.
    [Theory]
    [InlineData(AdmissionPolicy.OnDemand, false)]
    [InlineData(AdmissionPolicy.OnDemand, true)]
    [InlineData(AdmissionPolicy.ReserveFull, false)]
    public void Requests_holding_state_blocks_schedule_alike_whether_the_pool_counts_or_tracks_them_and_give_every_block_back(AdmissionPolicy policy, bool prefixCaching)
    {
        var tracking = Make(tracksBlockIds: true, policy, stateBlocks: 4, prefixCaching);
        var counting = Make(tracksBlockIds: false, policy, stateBlocks: 4, prefixCaching);
        var random = new Random(11);
        var now = TimeSpan.Zero;
        var preemptions = 0;
        for (var step = 0; step < 400 || tracking.HasUnfinishedRequests || counting.HasUnfinishedRequests; step++)
        {
            Assert.True(step < 5000, "the requests never finished");
            if (step % 3 == 0 && step < 400)
            {
                var prompt = random.Next(1, 120);
                var output = random.Next(1, 60);
                tracking.Add(new EngineRequest($"r{step}", prompt, output, now));
                counting.Add(new EngineRequest($"r{step}", prompt, output, now));
            }
            var a = tracking.Schedule(now);
            var b = counting.Schedule(now);
            Assert.Equal(a.Sequences.Select(s => (s.Request.Id, s.NewTokens)), b.Sequences.Select(s => (s.Request.Id, s.NewTokens)));
            Assert.Equal(a.Preempted.Select(r => r.Id), b.Preempted.Select(r => r.Id));
            Assert.All(a.Sequences, s => Assert.Equal(4, s.Request.Blocks.StateBlocks));
            preemptions += a.Preempted.Count;
            now += TimeSpan.FromMilliseconds(10);
            Assert.Equal(tracking.CompleteStep(now).Finished.Select(r => r.Id), counting.CompleteStep(now).Finished.Select(r => r.Id));
            Assert.Equal(tracking.KvCache.FreeBlocks, counting.KvCache.FreeBlocks);
        }
        // Every request has finished: its token and state blocks are all back.
        Assert.Equal(60, tracking.KvCache.FreeBlocks);
        Assert.Equal(60, counting.KvCache.FreeBlocks);
        if (policy == AdmissionPolicy.OnDemand) Assert.True(preemptions > 0, "the blocks never ran short");
    }

    [Fact]
    public void State_blocks_leave_fewer_requests_running_at_once_from_the_same_pool()
    {
        static int Running(int stateBlocks)
        {
            var scheduler = Make(tracksBlockIds: false, AdmissionPolicy.OnDemand, stateBlocks);
            for (var i = 0; i < 8; i++)
                scheduler.Add(new EngineRequest($"r{i}", 8, 100, TimeSpan.Zero));
            return scheduler.Schedule(TimeSpan.Zero).Sequences.Count;
        }
        // 60 blocks: eight one-block prompts run together without state; with 10 state blocks each, five fit.
        Assert.Equal(8, Running(0));
        Assert.Equal(5, Running(10));
    }
}
