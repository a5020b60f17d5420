using DisaggServing.Engine.Scheduling;

namespace DisaggServing.Engine.Tests.Scheduling;

public class CountingKvCacheTests
{
    private static Scheduler Make(bool tracksBlockIds, AdmissionPolicy policy) =>
        new(new SchedulerConfig
        {
            NumGpuBlocks = 40,
            MaxNumBatchedTokens = 96,
            MaxNumSeqs = 8,
            AdmissionPolicy = policy,
            TracksBlockIds = tracksBlockIds,
        });

    [Theory]
    [InlineData(AdmissionPolicy.OnDemand)]
    [InlineData(AdmissionPolicy.ReserveFull)]
    public void A_scheduler_that_only_counts_blocks_steps_as_one_that_tracks_them(AdmissionPolicy policy)
    {
        var tracking = Make(tracksBlockIds: true, policy);
        var counting = Make(tracksBlockIds: false, policy);
        var random = new Random(5);
        var now = TimeSpan.Zero;
        var preemptions = 0;
        for (var step = 0; step < 400; step++)
        {
            // Unhashed requests, enough of them for the 40 blocks to run short and (on demand) preempt.
            if (step % 3 == 0)
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
            Assert.Equal(a.Sequences.Select(s => s.Request.Blocks.Count), b.Sequences.Select(s => s.Request.Blocks.Count));
            Assert.All(b.Sequences, s => Assert.All(s.Request.Blocks.AsSpan().ToArray(), id => Assert.Equal(0, id)));
            preemptions += a.Preempted.Count;
            now += TimeSpan.FromMilliseconds(10);
            Assert.Equal(tracking.CompleteStep(now).Finished.Select(r => r.Id), counting.CompleteStep(now).Finished.Select(r => r.Id));
            Assert.Equal(tracking.KvCache.FreeBlocks, counting.KvCache.FreeBlocks);
        }
        Assert.Equal(tracking.NumPreemptions, counting.NumPreemptions);
        if (policy == AdmissionPolicy.OnDemand) Assert.True(preemptions > 0, "the blocks never ran short");
    }

    [Fact]
    public void A_scheduler_that_only_counts_blocks_rejects_requests_with_block_hashes()
    {
        var counting = Make(tracksBlockIds: false, AdmissionPolicy.OnDemand);

        var error = Assert.Throws<ArgumentException>(() => counting.Add(TestRequests.Make("a", 32, 4)));

        Assert.Contains("only counts blocks", error.Message);
    }
}
