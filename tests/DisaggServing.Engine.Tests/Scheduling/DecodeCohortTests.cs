using DisaggServing.Engine.Scheduling;

namespace DisaggServing.Engine.Tests.Scheduling;

/// <summary>A scheduler keeping its decodes as a cohort steps exactly as one that schedules every running request.</summary>
public class DecodeCohortTests
{
    private static Scheduler Make(bool cohort, int blocks)
    {
        var scheduler = new Scheduler(new SchedulerConfig
        {
            NumGpuBlocks = blocks,
            MaxNumBatchedTokens = 96,
            MaxNumSeqs = 16,
            TracksBlockIds = false,
        }) { ReportsHostIndicesOnly = true };
        scheduler.UsesCohort = cohort;
        return scheduler;
    }

    [Theory]
    [InlineData(400, false)] // roomy: the cohort holds
    [InlineData(60, false)]  // blocks run short: it dissolves, requests are preempted, it re-forms
    [InlineData(60, true)]   // and requests are aborted, in the cohort and out, mid-step and between steps
    public void A_scheduler_with_a_decode_cohort_steps_as_one_without(int blocks, bool aborts)
    {
        var plain = Make(cohort: false, blocks);
        var cohort = Make(cohort: true, blocks);
        // Tokens each request sampled: the plain scheduler's emitters, and the cohort's as it reports them.
        var plainTokens = new int[2000];
        var cohortTokens = new int[2000];
        var cohortPending = new Dictionary<int, int>();
        cohort.CohortLeft = (request, tokens) => cohortTokens[request] += tokens;
        var random = new Random(11);
        var now = TimeSpan.Zero;
        var (preemptions, largestCohort, added) = (0, 0, 0);
        var live = new List<string>();
        for (var step = 0; step < 1500 || plain.HasUnfinishedRequests || cohort.HasUnfinishedRequests; step++)
        {
            Assert.True(step < 50_000, "the workload did not drain");
            if (step < 1500 && random.Next(3) == 0)
            {
                var prompt = random.Next(1, 100);
                var output = random.Next(1, 120);
                var id = $"r{added}";
                plain.Add(new EngineRequest(id, prompt, output, now) { HostIndex = added });
                cohort.Add(new EngineRequest(id, prompt, output, now) { HostIndex = added });
                live.Add(id);
                added++;
            }
            if (aborts && live.Count > 0 && random.Next(10) == 0)
                Abort(live, random);
            var a = plain.Schedule(now);
            var b = cohort.Schedule(now);
            Assert.Equal(a.Shape, b.Shape);
            Assert.Equal(a.NumScheduledTokens, b.NumScheduledTokens);
            Assert.Equal(a.IsEmpty, b.IsEmpty);
            Assert.Equal(a.Preempted.Select(r => r.Id), b.Preempted.Select(r => r.Id));
            Assert.Equal(plain.KvCache.FreeBlocks, cohort.KvCache.FreeBlocks);
            Assert.Equal(plain.NumRunning, cohort.NumRunning);
            Assert.Equal(plain.NumWaiting, cohort.NumWaiting);
            preemptions += a.Preempted.Count;
            largestCohort = Math.Max(largestCohort, cohort.CohortCount);
            if (aborts && live.Count > 0 && random.Next(10) == 0)
                Abort(live, random);
            now += TimeSpan.FromMilliseconds(10);
            var ra = plain.CompleteStep(now);
            foreach (var index in ra.EmittedHostIndices) plainTokens[index]++;
            var finishedA = ra.Finished.Select(r => r.Id).Order().ToArray();
            var rb = cohort.CompleteStep(now);
            foreach (var index in rb.EmittedHostIndices) cohortTokens[index]++;
            var finishedB = rb.Finished.Select(r => r.Id).Order().ToArray();
            Assert.Equal(finishedA, finishedB);
            foreach (var r in rb.Finished)
                Assert.Equal(plainTokens[r.HostIndex], cohortTokens[r.HostIndex]);
            Assert.Equal(plain.KvCache.FreeBlocks, cohort.KvCache.FreeBlocks);
            live.RemoveAll(id => finishedA.Contains(id));
        }
        Assert.False(plain.HasUnfinishedRequests);
        Assert.False(cohort.HasUnfinishedRequests);
        Assert.Equal(plainTokens, cohortTokens);
        Assert.Equal(plain.NumPreemptions, cohort.NumPreemptions);
        Assert.True(largestCohort >= 8, $"the cohort never grew past {largestCohort}");
        if (blocks < 100) Assert.True(preemptions > 0, "the blocks never ran short");

        void Abort(List<string> ids, Random rng)
        {
            var id = ids[rng.Next(ids.Count)];
            ids.Remove(id);
            Assert.Equal(plain.Abort(id), cohort.Abort(id));
        }
    }

    [Fact]
    public void A_cohort_needs_a_pool_that_only_counts_blocks()
    {
        var scheduler = new Scheduler(new SchedulerConfig { NumGpuBlocks = 40, TracksBlockIds = true }) { ReportsHostIndicesOnly = true };

        var error = Assert.Throws<InvalidOperationException>(() => scheduler.UsesCohort = true);

        Assert.Contains("counting pool", error.Message);
    }
}
