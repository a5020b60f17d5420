using DisaggServing.Scheduling.Plugins.Health;

namespace DisaggServing.Scheduling.Tests;

public class HealthFilterTests
{
    private readonly ManualTime _time = new();

    [Fact]
    public void Drops_endpoints_whose_probe_failed_and_keeps_unprobed_ones()
    {
        var a = Sched.Endpoint(1);
        var b = Sched.Endpoint(2);
        var c = Sched.Endpoint(3);
        a.Health = EndpointHealth.Healthy;
        b.Health = EndpointHealth.Unhealthy;
        var candidates = new List<ISchedulingCandidate> { a, b, c };
        new HealthFilter(_time, TimeSpan.FromSeconds(5)).Filter(Sched.Context(1), candidates);
        Assert.Equal([a, c], candidates);
    }

    [Fact]
    public void Drops_recently_failing_endpoints_until_the_cooldown_passes()
    {
        var a = Sched.Endpoint(1);
        var b = Sched.Endpoint(2);
        var filter = new HealthFilter(_time, TimeSpan.FromSeconds(5));
        a.MarkError(_time.GetTimestamp());

        var candidates = new List<ISchedulingCandidate> { a, b };
        filter.Filter(Sched.Context(1), candidates);
        Assert.Equal([b], candidates);

        _time.Advance(TimeSpan.FromSeconds(6));
        candidates = [a, b];
        filter.Filter(Sched.Context(1), candidates);
        Assert.Equal([a, b], candidates);
    }

    [Fact]
    public void Keeps_recently_failing_endpoints_when_they_are_all_that_is_left()
    {
        var a = Sched.Endpoint(1);
        var b = Sched.Endpoint(2);
        a.MarkError(_time.GetTimestamp());
        b.MarkError(_time.GetTimestamp());
        var candidates = new List<ISchedulingCandidate> { a, b };
        new HealthFilter(_time, TimeSpan.FromSeconds(5)).Filter(Sched.Context(1), candidates);
        Assert.Equal([a, b], candidates);

        b.Health = EndpointHealth.Unhealthy;
        candidates = [a, b];
        new HealthFilter(_time, TimeSpan.FromSeconds(5)).Filter(Sched.Context(1), candidates);
        Assert.Equal([a], candidates);
    }

    [Fact]
    public void Clearing_the_error_readmits_at_once()
    {
        var a = Sched.Endpoint(1);
        var b = Sched.Endpoint(2);
        a.MarkError(_time.GetTimestamp());
        a.ClearError();
        var candidates = new List<ISchedulingCandidate> { a, b };
        new HealthFilter(_time, TimeSpan.FromSeconds(5)).Filter(Sched.Context(1), candidates);
        Assert.Equal(2, candidates.Count);
    }
}
