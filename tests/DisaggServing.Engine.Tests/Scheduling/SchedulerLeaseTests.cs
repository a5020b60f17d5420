using DisaggServing.Engine.Scheduling;

namespace DisaggServing.Engine.Tests.Scheduling;

public class SchedulerLeaseTests
{
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    /// <summary>A scheduler holding one leased 40-token prefill ("p"), finished at 10 ms.</summary>
    private static (Scheduler Scheduler, EngineRequest Request, TimeSpan Now) Leased()
    {
        var s = new Scheduler(TestRequests.Config());
        var p = TestRequests.Make("p", 40, 1, seed: 1, kind: EngineRequestKind.PrefillForRemoteDecode);
        s.Add(p);
        var now = TimeSpan.Zero;
        var (_, result) = s.Step(ref now);
        Assert.Equal([p], result.Emitted);
        Assert.Equal([p], result.Finished);
        return (s, p, now);
    }

    [Fact]
    public void A_finished_prefill_for_remote_decode_keeps_its_blocks_under_a_lease()
    {
        var (s, p, now) = Leased();
        Assert.Equal(EngineRequestStatus.Leased, p.Status);
        Assert.Equal(EngineFinishReason.Length, p.FinishReason);
        Assert.Equal(1, s.NumLeases);
        Assert.Equal(0, s.NumRunning);
        Assert.False(s.HasUnfinishedRequests);
        Assert.Equal(3, s.KvCache.UsedBlocks);

        Assert.True(s.TryGetLease("p", out var lease));
        Assert.Equal("p", lease.RequestId);
        Assert.Equal(p.Blocks.ToArray(), lease.BlockIds);
        Assert.Equal(40, lease.NumTokens);
        Assert.Equal(now + Lease, lease.ExpiresAt);
        Assert.False(s.TryGetLease("other", out _));
    }

    [Fact]
    public void Leased_full_blocks_stay_in_the_prefix_cache()
    {
        var (s, p, now) = Leased();
        var again = TestRequests.Make("again", 40, 2, seed: 1);
        s.Add(again);
        s.Step(ref now);
        Assert.Equal(32, again.NumCachedTokens);
        Assert.Equal(2, s.KvCache.RefCount(p.Blocks[0]));
    }

    [Fact]
    public void Release_frees_the_blocks_once()
    {
        var (s, p, _) = Leased();
        Assert.True(s.ReleaseLease("p"));
        Assert.Equal(EngineRequestStatus.Finished, p.Status);
        Assert.Equal(0, s.KvCache.UsedBlocks);
        Assert.Equal(0, s.NumLeases);
        Assert.False(s.ReleaseLease("p"));
        Assert.False(s.TryGetLease("p", out _));
        Assert.Equal(0, s.ExpireLeases(TimeSpan.FromHours(1)));
        Assert.Equal(0, s.NumExpiredLeases);
    }

    [Fact]
    public void Leases_expire_at_their_deadline_and_are_counted()
    {
        var (s, p, now) = Leased();
        var ids = new List<string>();
        Assert.Equal(0, s.ExpireLeases(now + Lease - TimeSpan.FromTicks(1), ids));
        Assert.Equal(1, s.ExpireLeases(now + Lease, ids));
        Assert.Equal(["p"], ids);
        Assert.Equal(1, s.NumExpiredLeases);
        Assert.Equal(EngineRequestStatus.Finished, p.Status);
        Assert.Equal(0, s.KvCache.UsedBlocks);
        Assert.False(s.ReleaseLease("p"));
    }

    [Fact]
    public void Extending_moves_the_deadline_forward_only()
    {
        var (s, _, now) = Leased();
        var later = now + TimeSpan.FromSeconds(10);
        Assert.True(s.ExtendLease("p", later));
        Assert.True(s.TryGetLease("p", out var lease));
        Assert.Equal(later + Lease, lease.ExpiresAt);
        Assert.True(s.ExtendLease("p", now, TimeSpan.FromSeconds(1))); // would shorten: ignored
        Assert.True(s.TryGetLease("p", out lease));
        Assert.Equal(later + Lease, lease.ExpiresAt);

        Assert.Equal(0, s.ExpireLeases(now + Lease));
        Assert.Equal(1, s.NumLeases);
        Assert.Equal(1, s.ExpireLeases(later + Lease));
        Assert.False(s.ExtendLease("p", later));
    }

    [Fact]
    public void Abort_ends_a_lease_and_frees_its_blocks()
    {
        var (s, p, now) = Leased();
        Assert.True(s.Abort("p"));
        Assert.Equal(0, s.NumLeases);
        Assert.Equal(0, s.KvCache.UsedBlocks);
        Assert.Equal(EngineRequestStatus.Finished, p.Status);
        Assert.Equal(0, s.ExpireLeases(now + Lease));
    }

    [Fact]
    public void Many_leases_expire_in_deadline_order()
    {
        var s = new Scheduler(TestRequests.Config());
        var now = TimeSpan.Zero;
        for (var i = 0; i < 3; i++)
        {
            s.Add(TestRequests.Make($"p{i}", 20, 1, seed: i, kind: EngineRequestKind.PrefillForRemoteDecode));
            s.Step(ref now);
        }
        s.ExtendLease("p0", now, TimeSpan.FromMinutes(1));
        s.ReleaseLease("p1");
        var ids = new List<string>();
        Assert.Equal(1, s.ExpireLeases(now + Lease, ids));
        Assert.Equal(["p2"], ids);
        Assert.Equal(1, s.ExpireLeases(now + TimeSpan.FromMinutes(1), ids));
        Assert.Equal(["p2", "p0"], ids);
        Assert.Equal(0, s.KvCache.UsedBlocks);
    }
}
