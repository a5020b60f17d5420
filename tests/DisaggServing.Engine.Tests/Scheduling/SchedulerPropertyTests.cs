using CsCheck;
using DisaggServing.Engine.Scheduling;

namespace DisaggServing.Engine.Tests.Scheduling;

public class SchedulerPropertyTests
{
    [Fact]
    public void Random_workloads_keep_block_accounting_and_kv_contents_consistent_and_terminate() =>
        SchedulerWorkload.Gen.Sample(w => new WorkloadDriver(w).Run(), iter: 300, threads: 2);

    [Fact]
    public void Tiny_pools_under_pressure_preempt_and_still_finish() =>
        SchedulerWorkload.Gen
            .Select(w => w with { ExtraBlocks = 0, Policy = AdmissionPolicy.OnDemand, MaxNumSeqs = 6 })
            .Sample(w => new WorkloadDriver(w).Run(), iter: 100, threads: 2);

    [Fact]
    public void Pressure_workloads_do_preempt()
    {
        // Guards the property above against vacuity: the generator does reach preemption.
        var preempted = 0;
        SchedulerWorkload.Gen
            .Select(w => w with { ExtraBlocks = 0, Policy = AdmissionPolicy.OnDemand, MaxNumSeqs = 6 })
            .Sample(w =>
            {
                var s = new Scheduler(w.Config());
                var now = TimeSpan.Zero;
                for (var i = 0; i < w.Requests.Length; i++)
                    s.Add(TestRequests.FromTokens($"r{i}", w.PromptOf(w.Requests[i]), w.Requests[i].MaxOutputTokens, w.BlockSize));
                s.RunToIdle(ref now);
                if (s.NumPreemptions > 0)
                    Interlocked.Increment(ref preempted);
            }, iter: 50, threads: 1);
        Assert.True(preempted > 5, $"only {preempted} of 50 workloads preempted");
    }
}
